"""Reading a file's text in a child process that a hostile file cannot take the worker down with.

The child is a fresh interpreter (`python -m library.extraction_process JOB RESULT`) that imports
only library.extraction, never Django: it gets no database connection, no settings and no
secrets in its environment. Before it opens the file it limits itself:

- RLIMIT_AS, its address space, to `memory_mb`: an allocation beyond it raises MemoryError, which
  the child reports as "too large", or kills it;
- RLIMIT_CPU to the time limit: the kernel stops it even if the worker that started it is gone;
- RLIMIT_CORE to 0: a child stopped by a limit leaves no core file behind;
- RLIMIT_FSIZE to the size of the largest answer it may write.

The parent waits on a pidfd up to the wall-clock limit (`seconds`), then kills the child by its
pid, and always reaps it (wait4 also gives the CPU time it used). The child's peak memory is its
VmHWM, read from /proc: by the child at its end, by the parent just before a kill. (wait4's
ru_maxrss would not do: Linux counts in it the memory of the parent the child was forked from,
before exec.) A fresh
interpreter costs about 0.1 s per file, which is small against an upload, and a forked worker
would inherit the worker's memory, so its address space could not be limited honestly.
"""

import json
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from library.extraction import ExtractionError, Limits, TooLarge, extract_text

# The project's root, so that the child finds the `library` package.
ROOT = Path(__file__).resolve().parent.parent
DONE, TRUNCATED, EMPTY = "done", "truncated", "empty"
TOO_LARGE, TIMED_OUT, UNREADABLE = "too_large", "timed_out", "unreadable"
STDERR_TAIL_BYTES = 2000


@dataclass(frozen=True)
class Outcome:
    status: str  # one of the names above
    text: str = ""
    reason: str = ""
    seconds: float = 0.0
    # The child's own peak resident memory (VmHWM), in kilobytes; 0 when it died unmeasured.
    peak_rss_kb: int = 0


def extract_in_child(path, file_type: str, limits: Limits) -> Outcome:
    """The text of the file at `path`, read by a child process within `limits`."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ustaz-extract-") as work:
        job, result, errors = Path(work, "job.json"), Path(work, "result.json"), Path(work, "err")
        job.write_text(
            json.dumps({"path": str(path), "file_type": file_type, "limits": asdict(limits)})
        )
        with errors.open("wb") as stderr:
            child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
                [sys.executable, "-m", "library.extraction_process", str(job), str(result)],
                cwd=ROOT,
                env=_child_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        killed, peak_before_kill, status, usage = _wait(child, limits.seconds)
        elapsed = time.monotonic() - started
        measured = {"seconds": elapsed, "peak_rss_kb": peak_before_kill}
        cpu = usage.ru_utime + usage.ru_stime
        if killed:
            return Outcome(TIMED_OUT, reason=f"over {limits.seconds} s", **measured)
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            # RLIMIT_CPU sends SIGXCPU, then SIGKILL at the hard limit; any other SIGKILL here is
            # the kernel's out-of-memory killer.
            if number == signal.SIGXCPU or (number == signal.SIGKILL and cpu >= limits.seconds):
                return Outcome(TIMED_OUT, reason=f"over {limits.seconds} s of CPU", **measured)
            if number == signal.SIGKILL:
                return Outcome(TOO_LARGE, reason="killed for its memory", **measured)
            return Outcome(UNREADABLE, reason=f"killed by signal {number}", **measured)
        try:
            answer = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # No answer: the child failed outside the reader (its traceback is in stderr).
            tail, code = _tail(errors), os.waitstatus_to_exitcode(status)
            if "MemoryError" in tail:
                return Outcome(TOO_LARGE, reason=f"exit {code}: out of memory", **measured)
            return Outcome(UNREADABLE, reason=f"exit {code}: {tail}", **measured)
        text, reason = answer.get("text", ""), answer.get("reason", "")
        measured["peak_rss_kb"] = answer.get("peak_rss_kb", 0)
        return Outcome(answer["status"], text=text, reason=reason, **measured)


def _child_environment() -> dict:
    # Only what an interpreter needs: the worker's secrets stay in the worker.
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if "PYTHONPATH" in os.environ:
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return environment


def _largest_file(limits: Limits) -> int:
    # The answer: JSON of the text (at most 4 bytes a character, 6 escaped) and a short reason.
    return limits.max_chars * 6 + 64 * 1024


def _tail(path: Path) -> str:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - STDERR_TAIL_BYTES))
        return handle.read().decode("utf-8", "replace")


def _wait(child: subprocess.Popen, seconds: float):
    """Wait for the child up to `seconds`, kill it past that; (killed, its peak memory in KB if
    killed, status, rusage).

    Whatever interrupts the wait (the task's own time limit, a worker shutting down), the
    child is killed and reaped before the exception goes on."""
    try:
        killed = not _exits_within(child.pid, seconds)
    except BaseException:
        child.kill()
        _reap(child)
        raise
    peak = 0
    if killed:
        peak = peak_rss_kb(child.pid)
        child.kill()
    status, usage = _reap(child)
    return killed, peak, status, usage


def _reap(child: subprocess.Popen):
    _, status, usage = os.wait4(child.pid, 0)
    # Reaped here, since wait4 gives the child's own usage: Popen must not wait for it again.
    child.returncode = os.waitstatus_to_exitcode(status)
    return status, usage


def _exits_within(pid: int, seconds: float) -> bool:
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return _polls_exit(pid, seconds)
    try:
        poller = select.poll()
        poller.register(handle, select.POLLIN)
        return bool(poller.poll(max(seconds, 0) * 1000))
    finally:
        os.close(handle)


def _polls_exit(pid: int, seconds: float) -> bool:
    # Without pidfd (kernels before 5.3): look every 20 ms, without reaping the child.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.02)
    return False


def peak_rss_kb(pid: int | str = "self") -> int:
    """VmHWM of a process, in kilobytes (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


# --- the child ---------------------------------------------------------------------------------


def _limit_this_process(limits: Limits) -> None:
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(limits.seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # No file it writes (the answer, its stderr) outgrows the largest answer.
    size = _largest_file(limits)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _read(job: dict) -> dict:
    limits = Limits(**job["limits"])
    _limit_this_process(limits)
    try:
        extracted = extract_text(job["path"], job["file_type"], limits)
    except MemoryError:
        # The text read so far is gone with the frames that held it.
        return {"status": TOO_LARGE, "reason": f"needs more than {limits.memory_mb} MB"}
    except TooLarge as error:
        return {"status": TOO_LARGE, "reason": str(error)}
    except ExtractionError as error:
        return {"status": UNREADABLE, "reason": str(error)[:500]}
    if extracted.truncated:
        return {"status": TRUNCATED, "text": extracted.text}
    return {"status": DONE if extracted.text else EMPTY, "text": extracted.text}


def main(job_path: str, result_path: str) -> None:
    answer = _read(json.loads(Path(job_path).read_text()))
    answer["peak_rss_kb"] = peak_rss_kb()
    Path(result_path).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
