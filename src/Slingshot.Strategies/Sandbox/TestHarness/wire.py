# The wire between the test harness's two processes: framed, tagged values. Included into
# test_harness.py where it says so (the harness must be one file); nothing here runs on its own.
import _struct

MAX_MESSAGE_BYTES = 256 << 20
MAX_NESTING = 100
_DOUBLE = _struct.Struct(">d")

# A value is a one-byte tag and its body: N T F E (None, True, False, Ellipsis); i (a signed integer,
# sized); f (a double); c (two doubles); s b B D (UTF-8 text, bytes, bytearray, Decimal text, each
# sized); l t S Z q (list, tuple, set, frozenset, deque: a count, then the items); d o C (dict,
# OrderedDict, Counter: a count, then keys and values); r Q (range, Fraction: their integers as values);
# R (a Remote: handle and type name); P (pickled bytes, only from the runner to the host).


def _size(out, count):
    out += count.to_bytes(4, "big")


def _encode(value, out, other, depth=0):
    """Appends value; builtin subclasses go as their builtin base (so an int whose __eq__ lies arrives as a
    plain int), anything that is not plain data as other(value, out)."""
    if depth > MAX_NESTING:
        raise RecursionError("value nested too deeply")
    if value is None or value is True or value is False or value is Ellipsis:
        out += b"N" if value is None else b"T" if value is True else b"F" if value is False else b"E"
    elif isinstance(value, bool):
        out += b"T" if bool.__bool__(value) else b"F"
    elif isinstance(value, int):
        number = int.__int__(value)
        data = number.to_bytes(number.bit_length() // 8 + 1, "big", signed=True)
        out += b"i"
        _size(out, len(data))
        out += data
    elif isinstance(value, float):
        out += b"f" + _DOUBLE.pack(float.__float__(value))
    elif isinstance(value, str):
        _blob(out, b"s", str.__str__(value).encode("utf-8", "surrogatepass"))
    elif isinstance(value, (bytes, bytearray)):
        _blob(out, b"B" if isinstance(value, bytearray) else b"b", bytes(value))
    elif isinstance(value, complex):
        number = complex.__complex__(value)
        out += b"c" + _DOUBLE.pack(number.real) + _DOUBLE.pack(number.imag)
    elif isinstance(value, (list, tuple, set, frozenset)):
        kind = next(k for k in (list, tuple, set, frozenset) if isinstance(value, k))
        _sequence(out, {list: b"l", tuple: b"t", set: b"S", frozenset: b"Z"}[kind], list(kind.__iter__(value)), other, depth)
    elif isinstance(value, dict):
        collections = sys.modules.get("collections")
        tag = b"d" if collections is None else {collections.OrderedDict: b"o", collections.Counter: b"C"}.get(type(value), b"d")
        items = list(dict.items(value))
        out += tag
        _size(out, len(items))
        for key, item in items:
            _encode(key, out, other, depth + 1)
            _encode(item, out, other, depth + 1)
    elif isinstance(value, range):
        out += b"r"
        for number in (value.start, value.stop, value.step):
            _encode(number, out, other, depth + 1)
    else:
        _encode_standard(value, out, other, depth)


def _encode_standard(value, out, other, depth):
    """Values of standard library types, checked only when their module is loaded (else none can exist)."""
    collections, decimal, fractions = (sys.modules.get(name) for name in ("collections", "decimal", "fractions"))
    if collections is not None and isinstance(value, collections.deque):
        _sequence(out, b"q", list(value), other, depth)
    elif decimal is not None and isinstance(value, decimal.Decimal):
        _blob(out, b"D", decimal.Decimal.__str__(value).encode("ascii"))
    elif fractions is not None and isinstance(value, fractions.Fraction):
        out += b"Q"
        _encode(value.numerator, out, other, depth + 1)
        _encode(value.denominator, out, other, depth + 1)
    else:
        other(value, out)


def _blob(out, tag, data):
    out += tag
    _size(out, len(data))
    out += data


def _sequence(out, tag, items, other, depth):
    out += tag
    _size(out, len(items))
    for item in items:
        _encode(item, out, other, depth + 1)


class _Reader:
    """Parses one value from bytes nobody vouches for: every size is checked against what is left, every
    value built is of a builtin or standard library type, and tags it does not know go to special."""

    def __init__(self, data, special):
        self.data, self.at, self.special = data, 0, special

    def take(self, count):
        if count < 0 or self.at + count > len(self.data):
            raise ValueError("truncated value")
        self.at += count
        return self.data[self.at - count:self.at]

    def count(self):
        count = int.from_bytes(self.take(4), "big")
        if count > len(self.data) - self.at:  # every item takes at least one byte
            raise ValueError("count beyond the message")
        return count

    def value(self, depth=0):
        if depth > MAX_NESTING:
            raise ValueError("value nested too deeply")
        tag = self.take(1)
        constant = {b"N": None, b"T": True, b"F": False, b"E": ...}
        if tag in constant:
            return constant[tag]
        if tag == b"i":
            return int.from_bytes(self.take(self.count()), "big", signed=True)
        if tag == b"f":
            return _DOUBLE.unpack(self.take(8))[0]
        if tag == b"c":
            return complex(_DOUBLE.unpack(self.take(8))[0], _DOUBLE.unpack(self.take(8))[0])
        if tag in (b"s", b"b", b"B", b"D"):
            data = self.take(self.count())
            if tag == b"s":
                return data.decode("utf-8", "surrogatepass")
            if tag == b"D":
                import decimal
                return decimal.Decimal(data.decode("ascii"))
            return data if tag == b"b" else bytearray(data)
        if tag in (b"l", b"t", b"S", b"Z", b"q"):
            items = [self.value(depth + 1) for _ in range(self.count())]
            if tag == b"q":
                import collections
                return collections.deque(items)
            return {b"l": list, b"t": tuple, b"S": set, b"Z": frozenset}[tag](items)
        if tag in (b"d", b"o", b"C"):
            pairs = [(self.value(depth + 1), self.value(depth + 1)) for _ in range(self.count())]
            if tag == b"d":
                return dict(pairs)
            import collections
            return collections.OrderedDict(pairs) if tag == b"o" else collections.Counter(dict(pairs))
        if tag == b"r":
            return range(self.integer(depth), self.integer(depth), self.integer(depth))
        if tag == b"Q":
            import fractions
            return fractions.Fraction(self.integer(depth), self.integer(depth))
        return self.special(tag, self, depth)

    def integer(self, depth):
        value = self.value(depth + 1)
        if type(value) is not int:
            raise ValueError("expected an integer")
        return value


def _send(fd, items, other, keep=None):
    """Sends a list of items as one frame; an item that cannot be encoded goes as keep(item, out) when given."""
    out = bytearray(4)
    out += b"l"
    _size(out, len(items))
    for item in items:
        mark = len(out)
        try:
            _encode(item, out, other)
        except Exception:
            if keep is None:
                raise
            del out[mark:]
            keep(item, out)
    out[:4] = (len(out) - 4).to_bytes(4, "big")
    view = memoryview(out)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd):
    """The next frame's bytes, or None when the other side closed the channel."""
    header = _read_exactly(fd, 4)
    if header is None:
        return None
    size = int.from_bytes(header, "big")
    if size > MAX_MESSAGE_BYTES:
        raise ValueError("message too large")
    return _read_exactly(fd, size)


def _parse(data, special):
    """A frame's message: a non-empty list, and nothing after it."""
    reader = _Reader(data, special)
    message = reader.value()
    if reader.at != len(data) or type(message) is not list or not message:
        raise ValueError("malformed message")
    return message


def _read_exactly(fd, count):
    chunks = []
    while count:
        try:
            chunk = os.read(fd, min(count, 1 << 20))
        except OSError:
            chunk = b""
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)
