# Runs tests against code in another process, so that the code cannot forge the verdict.
#
# Standard input: a line "<code bytes> <tests bytes> <subjects bytes>", then the code under test, the
# test code and the names of the functions under test (one a line), all UTF-8. Before reading it this
# process forks: the child ("host") runs the code under test as its __main__ module; this process
# ("runner") runs the tests and never the code. Every name the code defines reaches the tests as a
# value: plain data (numbers, strings, containers) decoded here, or a Remote, a handle to an object
# that stays in the host, whose every use (a call, an attribute, iteration) is a request there.
#
# The verdict is the runner's exit status: 0 only when the test code ran to its end. The host cannot
# forge it: it never holds the tests (they are read after the fork, and its copy of standard input is
# closed before the code runs); it cannot read or write the runner's memory or descriptors (the runner
# is not dumpable, and the sandbox refuses ptrace); what it sends is parsed as plain data, never
# unpickled; and when it exits, breaks the protocol or is killed, the runner exits at once with a
# failing status, before any more test code can run.
import sys, os

# No folder the code under test can write may be searched for modules: the script's own folder is its
# scratch space, and a random.py planted there would run inside the runner at `import random`. (The
# remaining entries are the interpreter's own folders, read-only inside the sandbox.)
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != _here]

import builtins, _signal, _thread

EARLY_EXIT = 86       # the code under test ended its process before the tests finished
BROKEN_PROTOCOL = 87  # the code under test sent something that is not a well-formed answer
NO_ISOLATION = 88     # the runner could not make itself unreadable to the code under test

#include wire.py


# ---------------------------------------------------------------- the host: runs the code under test


def _host(requests, answers):
    import operator
    objects, handles = [], {}

    def handle(value, out):
        if id(value) not in handles:
            handles[id(value)] = len(objects)
            objects.append(value)
        out += b"R"
        _encode(handles[id(value)], out, None)
        _encode(type(value).__name__, out, None)

    def special(tag, reader, depth):
        if tag == b"R":
            target = objects[reader.integer(depth)]
            reader.value(depth + 1)  # the type name, for the runner's eyes only
            return target
        if tag == b"P":  # the runner's own objects (instances of classes the tests define): trusted
            import pickle
            return pickle.loads(reader.take(reader.count()))
        raise ValueError("unknown tag")

    def answer(*items):
        for stream in (sys.stdout, sys.stderr):  # what the code printed comes before what the tests print next
            try:
                stream.flush()
            except Exception:
                pass
        _send(answers, items, handle, keep=handle)  # a value too deep to send as data stays here

    def load(code):
        """Runs the code as a program's main module; an error ends this process as it would end that program."""
        module = type(sys)("__main__")
        module.__builtins__ = builtins
        sys.modules["__main__"] = module
        try:
            exec(compile(code, "<code>", "exec"), module.__dict__)
        except Exception as error:
            _print_exception(error, "<code>", code)
            os._exit(1)
        return {name: value for name, value in module.__dict__.items() if not _dunder(name)}

    def perform(op, target, args):
        if op == "call":
            return target(*args[0], **args[1])
        if op == "getattr":
            return getattr(target, args[0])
        if op == "setattr":
            return setattr(target, args[0], args[1])
        if op == "getitem":
            return target[args[0]]
        if op == "setitem":
            target[args[0]] = args[1]
            return None
        if op == "delitem":
            del target[args[0]]
            return None
        if op == "contains":
            return args[0] in target
        if op in ("eq", "ne", "lt", "le", "gt", "ge"):
            return getattr(operator, op)(target, args[0])
        unary = {"len": len, "iter": iter, "next": next, "reversed": reversed, "bool": bool, "hash": hash,
                 "int": int, "float": float, "index": operator.index, "repr": repr, "str": str}
        return unary[op](target)

    while True:
        frame = _receive(requests)
        if frame is None:
            sys.exit(0)  # the tests are over: end as the program would have, flushing output
        try:
            request = _parse(frame, special)  # unpickling an object of a class the tests define can fail here
            result = load(request[1]) if request[0] == "load" else perform(request[0], objects[request[1]], request[2:])
        except Exception as error:
            answer("raise", type(error).__name__, tuple(error.args))
            continue
        answer("ok", result)


def _dunder(name):
    return name.startswith("__") and name.endswith("__")


def _print_exception(error, filename, source):
    """The traceback from the first frame of `filename` on, with its source lines."""
    import linecache, traceback
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    trace = error.__traceback__
    while trace is not None and trace.tb_frame.f_code.co_filename != filename:
        trace = trace.tb_next
    traceback.print_exception(type(error), error, trace)
    sys.stderr.flush()


# ---------------------------------------------------------------- the runner: runs the tests


class SampleError(Exception):
    """An exception of a type the code under test defined, raised again in the runner by name."""


class _Channel:
    def __init__(self, pid, requests, answers):
        self.pid, self.requests, self.answers = pid, requests, answers
        self.lock = _thread.allocate_lock()

    def ask(self, request):
        """Sends one request; returns the answer's value, or raises the exception the host reported."""
        _flush()  # what the tests printed so far comes before what the code prints now
        with self.lock:
            try:
                _send(self.requests, request, _Channel._other)
            except OSError:
                self.host_gone()
            try:
                frame = _receive(self.answers)
            except Exception as broken:
                _fail(BROKEN_PROTOCOL, f"the code under test broke the test protocol ({type(broken).__name__})")
        if frame is None:
            self.host_gone()
        # Parsed outside the lock: a set of remote objects asks the host for their hashes while it is built.
        try:
            answer = _parse(frame, _Channel._special)
            status = answer[0]
            if not (status == "ok" and len(answer) == 2 or status == "raise" and len(answer) == 3 and type(answer[1]) is str):
                raise ValueError("malformed answer")
        except Exception as broken:
            _fail(BROKEN_PROTOCOL, f"the code under test broke the test protocol ({type(broken).__name__})")
        if status == "ok":
            return answer[1]
        raise _exception(answer[1], answer[2])

    @staticmethod
    def _other(value, out):
        if type(value) is Remote:
            out += b"R"
            _encode(object.__getattribute__(value, "_handle"), out, None)
            _encode("", out, None)
        else:
            import pickle
            _blob(out, b"P", pickle.dumps(value))

    @staticmethod
    def _special(tag, reader, depth):
        if tag == b"R":
            handle = reader.integer(depth)
            kind = reader.value(depth + 1)
            if type(kind) is not str:
                raise ValueError("malformed handle")
            return Remote._make(handle, kind)
        raise ValueError("unknown tag")  # above all, never "P": unpickling the host's bytes would run its code

    def host_gone(self):
        """The host closed its end: it ended, or means to. No more test code may run."""
        for _ in range(200):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                if code == 0:
                    _fail(EARLY_EXIT, "the code under test ended the process before the tests finished")
                _flush()
                os._exit(code if code > 0 else 128 - code)
            _sleep(0.01)
        _fail(BROKEN_PROTOCOL, "the code under test closed the test channel")


def _exception(name, args):
    """Builtin exception types come back as themselves (tests may expect a ValueError), others as
    SampleError; never anything outside Exception: a SystemExit(0) raised here would end the tests as a pass."""
    kind = getattr(builtins, name, None)
    if type(args) is tuple:
        if isinstance(kind, type) and issubclass(kind, Exception):
            try:
                return kind(*args)
            except Exception:
                pass
        if len(args) == 1 and type(args[0]) is str:
            return SampleError(f"{name}: {args[0]}")
    return SampleError(name)


class Remote:
    """An object that lives in the host; every use of it is a request there.

    Comparisons with anything but another Remote are not forwarded: a result that is not plain data never
    equals an expected value, so an object whose __eq__ always answers True passes nothing. Two remote
    objects compare by the host's rules, which tests comparing the code's own objects rely on."""

    __slots__ = ("_handle", "_kind")

    @classmethod
    def _make(cls, handle, kind):
        remote = object.__new__(cls)
        object.__setattr__(remote, "_handle", handle)
        object.__setattr__(remote, "_kind", kind)
        return remote

    def _ask(self, op, *args):
        return _channel.ask([op, object.__getattribute__(self, "_handle"), *args])

    def _compare(self, op, other):
        return self._ask(op, other) if type(other) is Remote else NotImplemented

    def __call__(self, *args, **kwargs): return self._ask("call", args, kwargs)
    def __getattr__(self, name): return self._ask("getattr", name)
    def __setattr__(self, name, value): self._ask("setattr", name, value)
    def __getitem__(self, key): return self._ask("getitem", key)
    def __setitem__(self, key, value): self._ask("setitem", key, value)
    def __delitem__(self, key): self._ask("delitem", key)
    def __contains__(self, item): return self._ask("contains", item)
    def __len__(self): return self._ask("len")
    def __iter__(self): return self._ask("iter")
    def __next__(self): return self._ask("next")
    def __reversed__(self): return self._ask("reversed")
    def __bool__(self): return self._ask("bool")
    def __hash__(self): return self._ask("hash")
    def __int__(self): return self._ask("int")
    def __float__(self): return self._ask("float")
    def __index__(self): return self._ask("index")
    def __repr__(self): return self._ask("repr")
    def __str__(self): return self._ask("str")
    def __eq__(self, other): return self._compare("eq", other)
    def __ne__(self, other): return self._compare("ne", other)
    def __lt__(self, other): return self._compare("lt", other)
    def __le__(self, other): return self._compare("le", other)
    def __gt__(self, other): return self._compare("gt", other)
    def __ge__(self, other): return self._compare("ge", other)


def _sleep(seconds):
    import time
    time.sleep(seconds)


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _fail(status, message):
    _flush()
    os.write(2, f"\ntest harness: {message}\n".encode("utf-8", "replace"))
    os._exit(status)


def _undumpable():
    """Closes /proc/<pid>/mem, environ and fd of this process to other processes of the same user."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE, 0
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")
    except Exception as error:
        _fail(NO_ISOLATION, f"cannot isolate the tests from the code under test ({error})")


def _read_payload():
    """The code, the tests and the subjects from standard input (see the top of this file)."""
    with open(0, "rb", closefd=False) as stdin:
        data = stdin.read()
    header, _, body = data.partition(b"\n")
    sizes = [int(size) for size in header.split()]
    if len(sizes) != 3 or sum(sizes) != len(body):
        _fail(BROKEN_PROTOCOL, "malformed input")
    code, tests, subjects = body[:sizes[0]], body[sizes[0]:sizes[0] + sizes[1]], body[sizes[0] + sizes[1]:]
    return code.decode("utf-8"), tests.decode("utf-8"), subjects.decode("utf-8").split()


def _run_tests(namespace, tests):
    try:
        exec(compile(tests, "<tests>", "exec"), namespace)
    except SystemExit:
        raise
    except BaseException as error:
        _print_exception(error, "<tests>", tests)
        _flush()
        os._exit(1)


def _main():
    global _channel
    _undumpable()
    requests_read, requests = os.pipe()
    answers, answers_write = os.pipe()
    _flush()
    pid = os.fork()
    if pid == 0:
        # The host. Standard input still holds the tests: close it before anything else happens here.
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.close(requests)
        os.close(answers)
        _host(requests_read, answers_write)
    os.close(requests_read)
    os.close(answers_write)
    # The host may signal us; a KeyboardInterrupt raised inside test code could be caught by it.
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    _channel = _Channel(pid, requests, answers)

    code, tests, subjects = _read_payload()
    names = _channel.ask(["load", code])
    del code

    module = type(sys)("__main__")
    sys.modules["__main__"] = module
    namespace = module.__dict__
    hidden = set(dir(builtins)) - set(subjects)
    for name, value in names.items() if type(names) is dict else ():
        # The code's names are visible to the tests, except where they would hide Python's own: code
        # that defines abs() or isinstance() must not change what the tests' checks mean. Only a
        # function under test (MBPP's sum) may carry a builtin's name.
        if type(name) is str and name not in hidden and not _dunder(name):
            namespace[name] = value
    namespace["__builtins__"] = builtins
    _run_tests(namespace, tests)


_channel = None
_main()
_flush()
# Everything the host printed while answering has been flushed; nothing it does now can matter, and
# outside a sandbox it must not outlive the tests.
os.kill(_channel.pid, 9)
os._exit(0)
