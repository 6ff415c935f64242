import type { Socket } from 'node:net';

/**
 * Closes a connection after an answer given before the request's body was read in full, the way
 * a "lingering close" does: the answer is sent, the server's side is shut (FIN), and what the client
 * is still sending is read and thrown away for a short while (at most `maxMs`, at most `maxBytes`)
 * before the socket is destroyed. Destroying it at once, with the client's bytes still arriving,
 * makes the kernel answer with a reset, and a reset can wipe the answer from the client's buffers
 * before it was read: the person would see "connection reset" instead of "file too large".
 *
 * Node's HTTP server ends a `Connection: close` response with `socket.destroySoon()`; this replaces
 * that one call for this one socket.
 */
export function lingerBeforeClosing(socket: Socket, { maxMs = 1000, maxBytes = 16 * 1024 * 1024 } = {}): void {
  const lingering = socket as Socket & { destroySoon?: () => void; besaLingering?: boolean };
  if (lingering.besaLingering) return;
  lingering.besaLingering = true;
  lingering.destroySoon = () => {
    if (socket.writable) socket.end();
    const start = socket.bytesRead;
    const stop = () => {
      clearTimeout(timer);
      clearInterval(poll);
      socket.destroy();
    };
    const timer = setTimeout(stop, maxMs);
    // The HTTP parser may read the socket itself (no 'data' events): count what it read.
    const poll = setInterval(() => {
      if (socket.bytesRead - start > maxBytes) stop();
    }, 25);
    timer.unref();
    poll.unref();
    socket.once('end', stop);
    socket.once('close', stop);
    socket.resume();
  };
}
