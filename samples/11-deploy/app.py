"""A tiny web app for the deployment sample: serves / and /health on the port given as its first argument.

The build stamps VERSION and HEALTHY into each copy; a copy built with HEALTHY=false answers /health with 500,
as a broken release would.
"""
import http.server
import sys

VERSION = "@VERSION@"
HEALTHY = "@HEALTHY@" == "true"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self.answer(200 if HEALTHY else 500, "ok\n" if HEALTHY else "broken\n")
        else:
            self.answer(200, "app version %s\n" % VERSION)

    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("app %s: %s\n" % (VERSION, fmt % args))


if __name__ == "__main__":
    port = int(sys.argv[1])
    print("app version %s listening on 127.0.0.1:%d" % (VERSION, port), flush=True)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
