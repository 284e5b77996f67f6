"""A local oEmbed provider on 127.0.0.1 for the embed tests: never the real internet."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

OEMBED_PORT = 8485

YOUTUBE_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
YOUTUBE_ANSWER = {
    "type": "video",
    "version": "1.0",
    "title": "Harbour ferries return after the storm",
    "provider_name": "YouTube",
    "thumbnail_url": "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
    "html": '<iframe width="800" height="450" src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" '
    'frameborder="0" allowfullscreen></iframe>',
}


class OEmbedServer:
    """Answers every request with `answer` (a dict as JSON, or raw bytes), after `delay` seconds, with `status`."""

    def __init__(self):
        self.answer, self.status, self.delay = YOUTUBE_ANSWER, 200, 0
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(parse_qs(urlsplit(self.path).query))
                if server.delay:
                    time.sleep(server.delay)
                body = server.answer if isinstance(server.answer, bytes) else json.dumps(server.answer).encode()
                try:
                    self.send_response(server.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout tests)

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", OEMBED_PORT), Handler)
        self.http.daemon_threads = True
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{OEMBED_PORT}/oembed"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.http.shutdown()
        self.http.server_close()


def pasted(url):
    """A link pasted alone in a paragraph, as the body editor writes it."""
    return f'<p><a target="_blank" rel="noopener noreferrer nofollow" href="{url}">{url}</a></p>'
