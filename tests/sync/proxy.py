"""A fault-injecting TCP proxy between a laptop and central, run in the test's process.

Per connection it passes bytes through, or (at `fault_rate`) resets the connection at once,
cuts the first answer short, or stalls without answering. In `hold_push` mode it forwards
a push to central and keeps central's answer from the laptop: central has committed, the
laptop has heard nothing. `reset_answers_to` (a request line's start, e.g.
b"POST /v1/enroll") resets the connection once central has answered such a request, as
often as `resets_left` says: central has committed, the laptop's connection is reset.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading

FAULTS = ("reset", "truncate", "stall")


class FaultyProxy:
    def __init__(self, upstream_port: int, *, seed: int = 5) -> None:
        self.upstream_port = upstream_port
        self.fault_rate = 0.0
        self.hold_push = False
        self.push_seen = threading.Event()
        self.push_held = threading.Event()
        self.reset_answers_to: bytes | None = None
        self.resets_left = 0
        self.faults: dict[str, int] = dict.fromkeys(FAULTS, 0)
        self._rng = random.Random(seed)
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()

    def drop_connections(self) -> None:
        """Close every open connection, as when a laptop loses its Wi-Fi."""
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _choose(self) -> str:
        with self._lock:
            if self._rng.random() < self.fault_rate:
                fault = self._rng.choice(FAULTS)
                self.faults[fault] += 1
                return fault
        return "pass"

    def _reset_this_answer(self, request: bytes) -> bool:
        with self._lock:
            if (self.reset_answers_to is None or self.resets_left <= 0
                    or not request.startswith(self.reset_answers_to)):
                return False
            self.resets_left -= 1
            return True

    def _serve(self, client: socket.socket) -> None:
        mode = self._choose()
        if mode == "reset":
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
            return
        if mode == "stall":
            self._stopped.wait()
            client.close()
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self._track(upstream)
        last_request = bytearray()
        threading.Thread(target=self._to_central, args=(client, upstream, last_request),
                         daemon=True).start()
        self._to_laptop(upstream, client, last_request, truncate=mode == "truncate")

    def _to_central(self, client: socket.socket, upstream: socket.socket,
                    last_request: bytearray) -> None:
        try:
            while chunk := client.recv(65536):
                if chunk[:5] in (b"POST ", b"GET /", b"PUT /"):
                    last_request[:] = chunk[:64]
                    if chunk.startswith(b"POST /v1/sync/push"):
                        self.push_seen.set()
                upstream.sendall(chunk)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            upstream.shutdown(socket.SHUT_WR)

    def _to_laptop(self, upstream: socket.socket, client: socket.socket,
                   last_request: bytearray, *, truncate: bool) -> None:
        try:
            while chunk := upstream.recv(65536):
                if self._reset_this_answer(bytes(last_request)):
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      struct.pack("ii", 1, 0))
                    return
                if self.hold_push and bytes(last_request).startswith(b"POST /v1/sync/push"):
                    self.push_held.set()
                    self._stopped.wait()
                    return
                if truncate:
                    client.sendall(chunk[: max(1, len(chunk) // 2)])
                    return
                client.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                # shutdown first: close() alone waits for the other pump's blocked recv.
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
