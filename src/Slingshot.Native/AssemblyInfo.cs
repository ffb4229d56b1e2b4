using System.Runtime.CompilerServices;

// Every struct crossing the boundary is blittable and mirrors llama.h field for field; C `bool` is one byte.
[assembly: DisableRuntimeMarshalling]
