"""A loopback HTTP server answering /v3/geocode/geo in Amap's documented format (shared by the geocoding tests)."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK = {"status": "1", "info": "OK", "infocode": "10000", "count": "1",
      "geocodes": [{"formatted_address": "广东省广州市天河区科韵路16号", "province": "广东省", "city": "广州市",
                    "district": "天河区", "adcode": "440106", "location": "113.374480,23.127770", "level": "门牌号"}]}
ANSWERS = {
    "科韵路16号": OK,
    "天河区": {**OK, "geocodes": [{**OK["geocodes"][0], "location": "113.361200,23.124680", "level": "区县"}]},
    # A real address in another covered city (Huaibei), for the "inside the city" check.
    "淮北市相山区人民路": {**OK, "geocodes": [{**OK["geocodes"][0], "formatted_address": "安徽省淮北市相山区人民路",
                                             "adcode": "340603", "location": "116.798270,33.960230",
                                             "level": "道路"}]},
    "无此地": {"status": "1", "info": "OK", "infocode": "10000", "count": "0", "geocodes": []},
    "配额": {"status": "0", "info": "DAILY_QUERY_OVER_LIMIT", "infocode": "10003"},
    "错误": {"status": "0", "info": "INVALID_PARAMS", "infocode": "20000"},
}


class Amap(BaseHTTPRequestHandler):
    """Answers /v3/geocode/geo like Amap; '慢' sleeps past the client's timeout."""

    requests: list[dict[str, str]] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        query = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).items()}
        Amap.requests.append(query)
        if query.get("address") == "慢":
            time.sleep(1.5)
        body = json.dumps(ANSWERS.get(query.get("address"), ANSWERS["无此地"]), ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass

    def log_message(self, *args):
        pass


@contextmanager
def serve_amap() -> Iterator[str]:
    """Run the fake Amap on a free loopback port; yields its geocode URL (requests are reset)."""
    Amap.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Amap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v3/geocode/geo"
    finally:
        server.shutdown()
        server.server_close()
