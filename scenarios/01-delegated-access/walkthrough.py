"""Runs the README's walkthrough as printed and checks each commented command's output.

Usage: walkthrough.py README WORKDIR. The block runs in the README's directory (the repository
root), as a reader would run it.

The shell block under "## Walkthrough: delegated access across accounts" runs under `bash -x`
with two changes, each of which must apply exactly once: the data directory /tmp/rg becomes
WORKDIR/rg (runs must not share state), and `serve` gets `--listen 127.0.0.1:0` (a free port;
the walkthrough reads the endpoint from the data directory, so nothing else changes) and records
its process id so the server can be stopped. Every `aws ...  # TEXT` line's output must contain
TEXT's first part (PROD and DEV stand for the account ids); `AccessDenied: … REASON` lines must
also carry REASON. Prints "ok ..." / "FAIL ..." lines.
"""

import os
import re
import signal
import subprocess
import sys

HEADING = "## Walkthrough: delegated access across accounts"


def main():
    readme, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    failures = []

    def check(what, good, detail=""):
        if good:
            print("ok   walkthrough: " + what)
        else:
            print("FAIL walkthrough: " + what + (": " + detail if detail else ""))
            failures.append(what)

    text = open(readme).read()
    section = text.split(HEADING, 1)
    if len(section) != 2:
        check("README has the walkthrough section", False)
        return 1
    block = re.search(r"```sh\n(.*?)```", section[1], re.S)
    if not block:
        check("walkthrough has a sh block", False)
        return 1
    script = block.group(1)
    data = os.path.join(work, "rg")
    pidfile = os.path.join(work, "serve.pid")
    serve = "./rolegate serve --data /tmp/rg &\n"
    check("walkthrough starts the server once", script.count(serve) == 1)
    script = script.replace(
        serve, "./rolegate serve --listen 127.0.0.1:0 --data /tmp/rg & echo $! >%s\n" % pidfile
    )
    script = script.replace("/tmp/rg", data)

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_PAGER"] = ""
    path = os.path.join(work, "walkthrough.sh")
    open(path, "w").write(script)
    # Output goes to a file, not a pipe: the server the block leaves running in the background
    # would hold a pipe open after bash exits.
    log = os.path.join(work, "walkthrough.log")
    try:
        with open(log, "w") as f:
            subprocess.run(["bash", "-x", path], stdout=f, stderr=subprocess.STDOUT, env=env,
                           timeout=300, cwd=os.path.dirname(os.path.abspath(readme)))
    except subprocess.TimeoutExpired:
        check("walkthrough finishes in 5 minutes", False)
    finally:
        try:
            os.kill(int(open(pidfile).read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
    out = open(log).read()

    ids = dict(re.findall(r"^\+ (DEV|PROD)=(\d{12})$", out, re.M))
    check("walkthrough learns both account ids", set(ids) == {"DEV", "PROD"}, str(ids))

    # Split the trace into top-level commands and their output.
    steps, cur = [], None
    for line in out.splitlines():
        if line.startswith("+ "):
            cur = [line[2:], []]
            steps.append(cur)
        elif line.startswith("++"):
            continue
        elif cur is not None:
            cur[1].append(line)

    commented = [
        (cmd.strip(), note.strip())
        for cmd, note in re.findall(r"^(aws [^#\n]*?)\s+#\s*(.+)$", block.group(1), re.M)
    ]
    check("walkthrough has commented aws commands", len(commented) >= 4, str(commented))
    used = 0
    for cmd, note in commented:
        found = None
        for i in range(used, len(steps)):
            if steps[i][0] == cmd:
                found, used = steps[i], i + 1
                break
        if found is None:
            check("ran: " + cmd, False, "not in the trace")
            continue
        output = "\n".join(found[1])
        want = note.split(": ", 1)[0] if not note.startswith("arn:") else note
        for name, value in ids.items():
            want = want.replace(name, value)
        check("%s  # %s" % (cmd, note), want in output, output)
        if note.startswith("AccessDenied"):
            reason = note.split("… ", 1)[-1]
            check(cmd + " gives the reason", reason in output, output)
        else:
            check(cmd + " succeeds", "An error occurred" not in output, output)
        if cmd == "aws s3 ls":
            other = "prod-reports" if "dev-scratch" in want else "dev-scratch"
            check(cmd + " does not list " + other, other not in output, output)

    errors = [s for s in steps if "An error occurred" in "\n".join(s[1])]
    check("only the last command is refused", len(errors) == 1 and errors[0] is steps[-1],
          "; ".join(s[0] for s in errors))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
