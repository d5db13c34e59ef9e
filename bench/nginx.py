"""A real nginx on loopback with deploy/nginx/nginx.conf, the file docker-compose.yml's nginx service uses.

`loopback_config()` changes only what must differ off Docker, each line found exactly once or it refuses
(so an edit to the deployed file cannot silently leave the benchmark measuring something else):
- the upstream's `server web:8000 ...;` becomes one `server 127.0.0.1:PORT ...;` per app server;
- `listen 80` becomes `listen 127.0.0.1:PORT` (loopback only, a port of this checkout's range);
- the folder /var/cache/nginx (the cache and nginx's temporary files) becomes a folder of the run's own;
- with the cache off, `proxy_cache seatfinder;` becomes `proxy_cache off;`.

`Nginx` starts it in the foreground (`daemon off`, its pid file in that folder) in a process group of its own
and stops it by that process's id. Used by bench/stack_bench.py and tests/test_nginx.py.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOYED_CONFIG = ROOT / "deploy" / "nginx" / "nginx.conf"
HOST = "127.0.0.1"
UPSTREAM_SERVER = re.compile(r"^(\s*)server web:8000( [^;]*)?;$", re.MULTILINE)
LISTEN = re.compile(r"^(\s*)listen 80 default_server;$", re.MULTILINE)
CACHE_FOLDER = "/var/cache/nginx"
CACHE_ON = re.compile(r"^(\s*)proxy_cache seatfinder;$", re.MULTILINE)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def _replace_once(pattern: re.Pattern, replacement, text: str, what: str) -> str:
    new, count = pattern.subn(replacement, text)
    if count != 1:
        raise ValueError(f"deploy/nginx/nginx.conf: expected one {what} line, found {count}")
    return new


def loopback_config(upstream_ports: list[int], port: int, folder: Path, cache: bool = True) -> str:
    """The deployed nginx.conf, pointed at app servers on 127.0.0.1:upstream_ports, listening on port."""
    if not upstream_ports:
        raise ValueError("at least one app server port is needed")
    text = DEPLOYED_CONFIG.read_text()
    text = _replace_once(
        UPSTREAM_SERVER,
        lambda m: "\n".join(f"{m.group(1)}server {HOST}:{p}{m.group(2) or ''};" for p in upstream_ports),
        text,
        "`server web:8000`",
    )
    text = _replace_once(LISTEN, rf"\g<1>listen {HOST}:{port};", text, "`listen 80 default_server`")
    if text.count(CACHE_FOLDER) < 2:
        raise ValueError(
            f"deploy/nginx/nginx.conf: expected the cache and temporary folders in {CACHE_FOLDER}"
        )
    text = text.replace(CACHE_FOLDER, str(folder))
    if not cache:
        text = _replace_once(CACHE_ON, r"\g<1>proxy_cache off;", text, "`proxy_cache seatfinder`")
    return text


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as nginx and gunicorn bind: TIME_WAIT is free
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


class Nginx:
    """nginx serving loopback_config(...) until the `with` block ends."""

    def __init__(
        self, upstream_ports: list[int], port: int, cache: bool = True, log_path: Path | None = None
    ):
        self.upstream_ports, self.port, self.cache = upstream_ports, port, cache
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.folder: Path | None = None

    def describe(self) -> str:
        cache = "cache on" if self.cache else "cache off"
        return f"nginx on {HOST}:{self.port} ({cache}) in front of {len(self.upstream_ports)} app server(s)"

    def __enter__(self) -> Nginx:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        if not port_is_free(self.port):
            raise RuntimeError(f"port {self.port} on {HOST} is taken")
        self.folder = Path(tempfile.mkdtemp(prefix="seatfinder-nginx-"))
        self.folder.chmod(0o755)  # nginx's workers run as another user when it is started as root
        config = self.folder / "nginx.conf"
        config.write_text(loopback_config(self.upstream_ports, self.port, self.folder, self.cache))
        self.log = open(self.log_path or self.folder / "nginx.log", "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [binary, "-e", "stderr", "-p", str(self.folder), "-c", str(config),
             "-g", f"daemon off; pid {self.folder / 'nginx.pid'};"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"nginx did not start: {self.read_log()[-2000:]}")
            time.sleep(0.05)
        return self

    def read_log(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: this nginx only, by its own process id
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def check_config(upstream_ports: list[int], port: int) -> subprocess.CompletedProcess:
    """`nginx -t` on loopback_config(...), its folders in a temporary folder of its own."""
    with tempfile.TemporaryDirectory(prefix="seatfinder-nginx-t-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        config = folder / "nginx.conf"
        config.write_text(loopback_config(upstream_ports, port, folder))
        return subprocess.run(
            [nginx_binary(), "-t", "-e", "stderr", "-p", name, "-c", str(config), "-g", f"pid {name}/nginx.pid;"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
