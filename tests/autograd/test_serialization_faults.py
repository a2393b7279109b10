"""Fault injection for autograd.save / autograd.load: every fault either loads the EXACT data or
raises CheckpointError naming the path, and a failed save always leaves the old checkpoint.

Faults: truncation at every 10% of the file; single-bit flips in every bit of every header byte
(zip local headers, .npy headers, the manifest, the zip central directory and end record) and
of the data of a small file, and in the headers and a deterministic sample of the data of a
(300, 512) float32 one; foreign files (text, random bytes, a plain zip and npz, a .npy, real
torch.save files, torch-style and plain pickles that would run code); npz files that carry
pickles; saves SIGKILLed at five points in a subprocess; a full disk (a small tmpfs when root
may mount one, and RLIMIT_FSIZE in a subprocess); unreadable files and unwritable directories
(as the 'nobody' user when the suite runs as root). Each test prints its tally (pytest -s).
"""

import base64
import collections
import io
import json
import os
import pickle
import pwd
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

import numpy as np
import pytest

import autograd as ag
from autograd.errors import CheckpointError
from autograd.tensor import Tensor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _small():
    return {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "opt": {0: (np.arange(2),)},
            "step": 7, "name": "run"}


def _big():
    rng = np.random.default_rng(0)
    return {"w": rng.standard_normal((300, 512)).astype(np.float32), "epoch": 1}


def fingerprint(obj):
    """A hashable picture of a loaded (or saved) object: two are equal iff the data is exact
    (types, keys, order, dtypes, shapes and bytes)."""
    if isinstance(obj, (Tensor, np.ndarray)):
        a = obj.detach().numpy() if isinstance(obj, Tensor) else obj
        return ("array", a.dtype.str, a.shape, np.ascontiguousarray(a).tobytes())
    if isinstance(obj, dict):
        return ("dict", tuple((type(k).__name__, k, fingerprint(v)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, tuple(fingerprint(v) for v in obj))
    return (type(obj).__name__, obj.hex() if isinstance(obj, float) else obj)


class Tally:
    """Counts what each injected fault got; anything but 'exact' or 'CheckpointError' fails."""

    def __init__(self, name):
        self.name, self.counts, self.bad = name, collections.Counter(), []

    def load(self, path, expected, fault):
        try:
            back = ag.load(path)
        except CheckpointError as exc:
            self.add("CheckpointError" if str(path) in str(exc) else "error without the path",
                     fault, exc)
            return
        except Exception as exc:   # noqa: BLE001  (what the campaign is looking for)
            self.add(f"other: {type(exc).__name__}", fault, exc)
            return
        self.add("loaded exact" if fingerprint(back) == expected else "WRONG DATA", fault)

    def add(self, outcome, fault, detail=""):
        self.counts[outcome] += 1
        if outcome not in ("loaded exact", "CheckpointError"):
            self.bad.append(f"{fault}: {outcome} {detail}")

    def check(self, expect_exact=None):
        total = sum(self.counts.values())
        print(f"\n[faults] {self.name}: {total} outcomes: "
              + ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())))
        assert total > 0 and not self.bad, self.bad[:10]
        if expect_exact is not None:
            assert (self.counts["loaded exact"] > 0) == expect_exact, self.counts


# -- where the bytes are -----------------------------------------------------------------------
def regions(data):
    """``[(kind, start, stop)]`` covering an archive from autograd.save byte for byte."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos, central = archive.infolist(), archive.start_dir
    out = []
    for info in infos:
        start = info.header_offset
        name_len, extra_len = struct.unpack("<HH", data[start + 26:start + 30])
        npy = start + 30 + name_len + extra_len
        size = 2 if data[npy + 6] == 1 else 4
        body = npy + 8 + size + int.from_bytes(data[npy + 8:npy + 8 + size], "little")
        is_manifest = info.filename == "__manifest__.npy"
        out += [("zip local header", start, npy), ("npy header", npy, body),
                ("manifest" if is_manifest else "array data", body, npy + info.compress_size)]
    out.append(("zip central directory and end record", central, len(data)))
    covered = sorted((a, b) for _, a, b in out)
    assert covered[0][0] == 0 and covered[-1][1] == len(data)
    assert all(b == c for (_, b), (c, _) in zip(covered, covered[1:])), covered
    return out


def _written(tmp_path, obj, name):
    path = tmp_path / name
    ag.save(obj, path)
    return path, path.read_bytes(), fingerprint(obj)


def _every_bit(positions):
    return [(pos, bit) for pos in positions for bit in range(8)]


def _flip(tally, path, data, expected, flips):
    """Flip each ``(byte, bit)`` in place, load, and restore the byte."""
    with open(path, "r+b") as f:
        for pos, bit in flips:
            for value in (data[pos] ^ (1 << bit), data[pos]):
                f.seek(pos)
                f.write(bytes([value]))
                f.flush()
                if value != data[pos]:
                    tally.load(path, expected, f"flip byte {pos} bit {bit}")


# -- truncation --------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [_small, _big], ids=["small", "big"])
def test_truncation_at_every_10_percent(tmp_path, make):
    path, data, expected = _written(tmp_path, make(), "t.pt")
    tally = Tally(f"truncation ({make.__name__[1:]} file, {len(data)} bytes)")
    for cut in sorted({len(data) * k // 10 for k in range(10)} | {len(data) - 1}):
        path.write_bytes(data[:cut])
        tally.load(path, expected, f"cut at {cut}")
    tally.check(expect_exact=False)


# -- single-bit flips --------------------------------------------------------------------------
def test_every_bit_of_a_small_file(tmp_path):
    """Headers and data alike: all 8 bits of every byte of a small checkpoint."""
    path, data, expected = _written(tmp_path, _small(), "s.pt")
    by_kind = collections.defaultdict(list)
    for kind, start, stop in regions(data):
        by_kind[kind] += range(start, stop)
    for kind in sorted(by_kind):
        tally = Tally(f"bit flips, small file ({len(data)} bytes): {kind}, "
                      f"{len(by_kind[kind])} bytes x 8 bits")
        _flip(tally, path, data, expected, _every_bit(by_kind[kind]))
        tally.check(expect_exact=None if "header" in kind or "central" in kind else False)


def test_headers_densely_and_data_sparsely_of_a_300x512_array(tmp_path):
    path, data, expected = _written(tmp_path, _big(), "b.pt")
    spans = regions(data)
    headers = [p for kind, a, b in spans if kind != "array data" for p in range(a, b)]
    body = [(a, b) for kind, a, b in spans if kind == "array data"]
    big = max(body, key=lambda span: span[1] - span[0])
    tally = Tally(f"bit flips, (300, 512) file ({len(data)} bytes): every bit of the "
                  f"{len(headers)} header and manifest bytes")
    _flip(tally, path, data, expected, _every_bit(headers))
    tally.check()
    rng = np.random.default_rng(1234)
    sample = sorted(rng.choice(np.arange(*big), size=256, replace=False).tolist())
    sample += [big[0], big[1] - 1]                               # its first and last bytes
    tally = Tally("bit flips, (300, 512) file: one bit at each of 258 sampled data bytes")
    _flip(tally, path, data, expected, [(pos, pos % 8) for pos in sample])
    tally.check(expect_exact=False)


def test_the_issue_case_300_becomes_200_in_the_npy_header(tmp_path):
    """The flip that got through before: numpy read fewer bytes, so no CRC ever ran."""
    path, data, _ = _written(tmp_path, _big(), "b.pt")
    pos = data.index(b"(300, 512)")
    path.write_bytes(data[:pos + 1] + b"2" + data[pos + 2:])   # '3' ^ 1 == '2'
    assert bin(data[pos + 1] ^ ord("2")).count("1") == 1
    with pytest.raises(CheckpointError, match=r"b\.pt.*obj\['w'\].*\(200, 512\)"):
        ag.load(path)


# -- foreign and pickle-bearing files ------------------------------------------------------------
# torch 2.13: torch.save({'w': torch.arange(3.0)}, f) (zip format) and the same with
# _use_new_zipfile_serialization=False (legacy pickle), zlib-compressed and base64-encoded.
TORCH_ZIP = (
    "eNqlVL9v00AUPseNE0xIU6SqaofOQYLUdn7YKYIgqzKDhUiDQBGL5TpHsHDjnH1JBRJSJZSBf4KBf4KFHTYEc7dMTE"
    "gMiJG7uHXPLnVFeZJ9sv2+733v7nvumvwSAMUiOBMVcB3YgfPcncKtgY3t2viFZ+hl8DQRh7nXCPQ5kn+AOAf7BFCz"
    "Jtj1QtEK4N7E9QYWhqPQD6ypIqJctdovkOSQZNpDiPgIIhqeb+NH0UsRLS0IJZTv82R1xhMkmDxGhV0TmPwMFU1uhq"
    "68dRzf86CDXX8Uig+DAQzgYMd1sIjEGz10FaNSD10La12zUHxwf155T6jo1T234zWwHndce+YH+za2pjAISQFDX001"
    "fhwypf/w4+gNVcxl0m8A9ZT+eAMs23OHo304woZe/3uF7Gg1qIDOAfqeIyVymQJWQCcWsPcSQ5/umaHfvkzdk/BcjD"
    "1INczuzNcFUkXI1FAGdxOu2pIMffs/BESshx1yu0dVjD9+lkrkoZSpYpk5iviEL7X/dZFW/fpu+Pji/d8EyqkBFs2H"
    "MHCJA17Z1MSWOzD02j+KkJuqosntdlOWtWaj1ahLSkuq11stSW0obU1SNFVrtxWVqvw1F3eqREd1oZKjYmOd7IRUzi"
    "hP/wfSaHYA1hLInww6NVNpEtbEGwmSXQ5kTE6ahzXiSoLnG8MTD0AazjqonIA/yYGUd9NY1gfLCewRgz2nf/Z4NhPg"
    "Hg8uME7XFISbJzbjb8XIQmr9wkXrbz5aCW7x6VM+eo7+YHkhwhQW+VHuH8nIVwA=")
TORCH_LEGACY = (
    "eNptT7tOAzEQvFcIGIJo6SiP5oocSaCCAqU58QqNG2QdPisxss5Zey8IpEhpIgHfwAfwa3wCEgUbUtCwxUg7Ozs7u4"
    "jemPl+H34dPHxc72eL6OIzJpxDkPK9IAimzqKV1oiZcl7bGkIS8A5NjEY0Sqi60mUN0QtnROLTVAmvn5WHeA5JyltE"
    "+ol1CK0i4jF1ukbYKBKerDxsPYZ2kTTN+iYPiXyEUKJ1cpKJBrXxTDh132hTCVS1t07MugyiNOXtlTcpy7GCeL3Chs"
    "aWeLsmGSR8lzQnR91+fjzo9fJBPuhD6zeGnDYUI75EaN8UQREvYbMIl7D1KulboyTSs55duUo5VZ1riQzY4Qi2EXZG"
    "0PGU947y/mMfltnK/68WpwRnP7+iY9w=")


class _Marker:
    """Unpickling this creates the file ``path``: proof that code from the file ran."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _foreign_files(folder, marker):
    evil = pickle.dumps(_Marker(marker), protocol=2)
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    torch_style = io.BytesIO()
    with zipfile.ZipFile(torch_style, "w") as archive:     # torch.save's layout, evil pickle
        archive.writestr("archive/data.pkl", evil)
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/data/0", b"\0" * 12)
        archive.writestr("archive/version", "3\n")
    npy = io.BytesIO()
    np.save(npy, np.ones(3))
    files = {"text": b"epoch 3, loss 0.25\n" * 20,
             "random bytes": np.random.default_rng(0).bytes(3000),
             "random bytes after a zip signature": b"PK\x03\x04" + bytes(range(256)) * 4,
             "plain zip": plain_zip.getvalue(), ".npy": npy.getvalue(),
             "real torch.save (zip)": zlib.decompress(base64.b64decode(TORCH_ZIP)),
             "real torch.save (legacy)": zlib.decompress(base64.b64decode(TORCH_LEGACY)),
             "torch-style zip with a code-running pickle": torch_style.getvalue(),
             "plain pickle that runs code": evil, "pickle protocol 0": pickle.dumps([1], 0),
             "gzip": zlib.compress(b"x" * 100), "empty": b""}
    np.savez(folder / "plain.npz", w=np.ones(3))
    np.savez(folder / "objects.npz", o=np.array([_Marker(marker)], dtype=object))
    files["plain npz"] = (folder / "plain.npz").read_bytes()
    files["npz with a pickled object array"] = (folder / "objects.npz").read_bytes()
    files.update(_checkpoints_carrying_pickles(folder, marker))
    return files


def _checkpoints_carrying_pickles(folder, marker):
    """Valid checkpoints whose array member is replaced by a pickled object array."""
    ag.save({"w": np.ones(1, np.float32)}, folder / "v.pt")
    with zipfile.ZipFile(folder / "v.pt") as archive:
        manifest = json.loads(np.load(io.BytesIO(archive.read("__manifest__.npy"))).tobytes())
    evil_npy = io.BytesIO()
    np.save(evil_npy, np.array([_Marker(marker)], dtype=object), allow_pickle=True)
    out = {}
    for label, dtype in [("record says <f4", "<f4"), ("record says |O", "|O")]:
        manifest["arrays"]["a0"]["dtype"] = dtype
        text = json.dumps(manifest).encode()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("__manifest__.npy", _npy_bytes(np.frombuffer(text, np.uint8)))
            archive.writestr("a0.npy", evil_npy.getvalue())
        out[f"checkpoint whose array is a pickled object array, {label}"] = buffer.getvalue()
    return out


def _npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def test_foreign_and_pickle_bearing_files_are_refused_and_never_unpickled(tmp_path):
    marker = tmp_path / "code-ran"
    tally = Tally("foreign and pickle-bearing files")
    for name, data in _foreign_files(tmp_path, str(marker)).items():
        path = tmp_path / "f.pt"
        path.write_bytes(data)
        tally.load(path, None, name)
        assert not marker.exists(), f"{name}: loading ran code from the file"
    tally.load(tmp_path, None, "a directory")
    tally.check(expect_exact=False)
    with pytest.raises(CheckpointError, match="PyTorch checkpoint"):
        ag.load(io.BytesIO(zlib.decompress(base64.b64decode(TORCH_ZIP))))
    with pytest.raises(CheckpointError, match="pickle"):
        ag.load(io.BytesIO(zlib.decompress(base64.b64decode(TORCH_LEGACY))))


# -- kills mid-save ------------------------------------------------------------------------------
CHILD = r"""
import os, sys, time
import numpy as np
import autograd as ag

path, point = sys.argv[1], sys.argv[2]


def pause():
    print("paused", flush=True)
    time.sleep(120)


real_write, real_fsync, real_replace = np.lib.format.write_array, os.fsync, os.replace
calls = []


def write_array(fp, array, **kwargs):
    calls.append(1)
    if point == "temp created":
        pause()
    if point == "mid-array" and len(calls) == 2:          # the manifest is written first
        np.lib.format.write_array_header_1_0(fp, np.lib.format.header_data_from_array_1_0(array))
        fp.write(array.tobytes()[:array.nbytes // 2])
        pause()
    real_write(fp, array, **kwargs)


def fsync(fd):
    if point == "before fsync":
        pause()
    real_fsync(fd)


def replace(src, dst):
    if point == "before rename":
        pause()
    real_replace(src, dst)
    if point == "after rename":
        pause()


np.lib.format.write_array, os.fsync, os.replace = write_array, fsync, replace
ag.save({"w": np.full((300, 512), 2.0, np.float32), "epoch": 2}, path)
print("finished", flush=True)
"""
POINTS = ["temp created", "mid-array", "before fsync", "before rename", "after rename"]


def _killed_save(path, point):
    """Run a save in a subprocess, SIGKILL it when it reaches ``point``."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), point], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)
        line = child.stdout.readline() if ready else b""
        assert line == b"paused\n", (line, child.stderr.read() if child.poll() else "")
    finally:
        child.kill()                                           # SIGKILL
        child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def test_saves_killed_at_five_points_leave_a_loadable_checkpoint_and_no_orphan(tmp_path):
    path = tmp_path / "ckpt.pt"
    old = {"w": np.ones((300, 512), np.float32), "epoch": 1}
    new = {"w": np.full((300, 512), 2.0, np.float32), "epoch": 2}
    tally = Tally("saves SIGKILLed mid-way (subprocess)")
    for point in POINTS:
        ag.save(old, path)
        _killed_save(path, point)
        left = sorted(os.listdir(tmp_path))
        orphans = [n for n in left if n != path.name]
        assert len(orphans) == (0 if point == "after rename" else 1), (point, left)
        assert all(n.startswith(".ckpt.pt.") and n.endswith(".tmp") for n in orphans)
        expected = new if point == "after rename" else old
        tally.load(path, fingerprint(expected), f"killed at {point}")
        ag.save(old, path)                                     # the next save cleans up
        assert sorted(os.listdir(tmp_path)) == [path.name], point
    tally.check(expect_exact=True)
    assert tally.counts["loaded exact"] == len(POINTS)


# -- a full disk ----------------------------------------------------------------------------------
@pytest.fixture
def small_tmpfs(tmp_path):
    """A 256 KiB tmpfs (root only; skipped with the reason otherwise)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE test covers a full disk")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}; the RLIMIT_FSIZE test "
                    "covers a full disk")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _fill(folder):
    """A file that takes all free space of ``folder``'s file system; returns (path, size)."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:      # unbuffered: close has nothing to flush
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
    return filler, os.path.getsize(filler)


def test_full_disk_tmpfs_fails_cleanly_at_every_amount_of_free_space(small_tmpfs):
    path = small_tmpfs / "ckpt.pt"
    old = {"w": np.ones(100, np.float32), "epoch": 1}
    new = {"w": np.full((10, 1000), 2.0, np.float32), "epoch": 2}      # 40 KB
    ag.save(old, path)
    filler, size = _fill(small_tmpfs)
    tally = Tally("full disk (256 KiB tmpfs): 17 saves with 0..64 KiB free (a failed save "
                  "counts as CheckpointError, then the load of the old file after it)")
    for pages in range(17):
        os.truncate(filler, max(size - pages * 4096, 0))
        try:
            ag.save(new, path)
        except CheckpointError as exc:
            assert exc.errno == 28 and "no space left on device" in str(exc), exc
            tally.add("CheckpointError" if str(path) in str(exc) else "no path", pages, exc)
            tally.load(path, fingerprint(old), f"old checkpoint after {pages} free pages")
        else:
            tally.load(path, fingerprint(new), f"saved with {pages} free pages")
            ag.save(old, path)
        assert sorted(os.listdir(small_tmpfs)) == ["ckpt.pt", "filler"], pages
        os.truncate(filler, size)
    tally.check(expect_exact=True)
    assert tally.counts["CheckpointError"] >= 9                # 0..8 pages cannot hold 40 KB


FSIZE_CHILD = r"""
import json, os, resource, signal, sys
import numpy as np
import autograd as ag

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # a write past the limit then fails: EFBIG
path = sys.argv[1]
hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
old = {"w": np.ones(100, np.float32), "epoch": 1}
new = {"w": np.full((300, 512), 2.0, np.float32), "epoch": 2}


def state():
    back = ag.load(path)
    for name, obj in (("old", old), ("new", new)):
        if back["epoch"] == obj["epoch"] and back["w"].numpy().tobytes() == obj["w"].tobytes():
            return name
    return "neither"


for limit in (0, 100, 1000, 10000, 100000, 600000, 1000000):
    ag.save(old, path)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        ag.save(new, path)
        outcome = "saved"
    except Exception as exc:
        outcome = f"{type(exc).__name__} errno={getattr(exc, 'errno', None)}: {exc}"
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    print(json.dumps([limit, outcome, sorted(os.listdir(os.path.dirname(path))), state()]),
          flush=True)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="RLIMIT_FSIZE needs a POSIX system")
def test_file_size_limit_fails_cleanly(tmp_path):
    """The child checks the file after each attempt (exact old or new data, by its bytes)."""
    path = tmp_path / "ckpt.pt"
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", FSIZE_CHILD, str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    tally = Tally("file size limit (RLIMIT_FSIZE 0 B .. 1 MB, subprocess): 7 saves (a failed "
                  "save counts as CheckpointError, then the load of the old file after it)")
    for line in done.stdout.splitlines():
        limit, outcome, listing, state = json.loads(line)
        assert listing == ["ckpt.pt"], (limit, listing)            # no temporary left
        if limit < 615_162:                                          # the new file's size
            assert outcome.startswith("CheckpointError errno=27") and str(path) in outcome, \
                (limit, outcome)
            assert "file too large" in outcome, outcome
            tally.add("CheckpointError", limit)
            tally.add("loaded exact" if state == "old" else f"old lost: {state}", limit)
        else:
            assert outcome == "saved", (limit, outcome)
            tally.add("loaded exact" if state == "new" else f"new wrong: {state}", limit)
    tally.check(expect_exact=True)
    assert tally.counts["CheckpointError"] == 6


# -- permissions ----------------------------------------------------------------------------------
def _unprivileged(action):
    """Run ``action()`` as a user without root's powers ('nobody' in a forked child when the
    suite runs as root: root bypasses file permissions); returns its outcome as text."""
    def outcome():
        try:
            return f"ok {action()}"
        except Exception as exc:   # noqa: BLE001  (reported to the parent as text)
            return f"{type(exc).__name__} errno={getattr(exc, 'errno', None)}: {exc}"

    if os.geteuid() != 0:
        return outcome()
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                       # the child: drop root, act, report
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.write(write_end, outcome().encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return text


@pytest.fixture
def shared_dir():
    """A directory every user can enter (pytest's tmp_path is root's alone: 0700)."""
    folder = tempfile.mkdtemp(prefix="ckpt-perm-")
    os.chmod(folder, 0o755)
    yield folder
    for root, dirs, _ in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(folder)


def test_unreadable_files_say_permission_denied_not_corrupted(shared_dir):
    path = os.path.join(shared_dir, "ckpt.pt")
    ag.save(_small(), path)
    inner = os.path.join(shared_dir, "closed")
    os.mkdir(inner)
    ag.save(_small(), os.path.join(inner, "ckpt.pt"))
    tally = Tally("permissions")
    os.chmod(path, 0o000)
    os.chmod(inner, 0o000)
    try:
        for target in (path, os.path.join(inner, "ckpt.pt")):
            text = _unprivileged(lambda: ag.load(target))
            assert text.startswith("CheckpointError errno=13"), text
            assert "permission denied" in text and target in text, text
            assert "corrupted" not in text, text
            tally.add("CheckpointError", target)
    finally:
        os.chmod(path, 0o644)
        os.chmod(inner, 0o755)
    os.chmod(shared_dir, 0o555)                       # nobody (or this user) may not write here
    try:
        text = _unprivileged(lambda: ag.save({"epoch": 9}, path))
    finally:
        os.chmod(shared_dir, 0o755)
    assert text.startswith("CheckpointError errno=13") and "permission denied" in text, text
    assert path in text and "intact" in text, text
    tally.add("CheckpointError", "save into a directory without write permission")
    tally.load(path, fingerprint(_small()), "the old checkpoint after the refused save")
    assert sorted(os.listdir(shared_dir)) == ["ckpt.pt", "closed"]
    tally.check(expect_exact=True)
