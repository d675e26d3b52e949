"""A camera as deployed with Debian's python-socketio: connect (polling first, or
WebSocket only), register once, fire-and-forget emits, print every reply as a JSON line.

usage: python_camera.py URL polling|upgrade|websocket COUNT IMAGE_BYTES CAMERA_ID
"""
import base64
import json
import os
import sys
import threading
import time

import socketio

url, transport, count, image_bytes, camera_id = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
replies = []
done = threading.Event()
# python-socketio runs handlers on several threads; one line per reply needs a lock.
out_lock = threading.Lock()


def emit_line(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

expected = count + 2  # detections + health + register

sio = socketio.Client(reconnection=False)


def record(event):
    def handler(data):
        with out_lock:
            replies.append({"event": event, "body": data})
        emit_line({"event": event, "body": data})
        if len([r for r in replies if r["event"] != "error"]) >= expected:
            done.set()
    return handler


for name in ("register_response", "lpr_response", "health_response", "error", "pong"):
    sio.on(name, record(name))

# polling: long-polling only; upgrade: polling first, then WebSocket (the python-socketio
# default, as deployed); websocket: WebSocket only.
transports = {"polling": ["polling"], "upgrade": ["polling", "websocket"], "websocket": ["websocket"]}[transport]
sio.connect(url, transports=transports, wait_timeout=10)
emit_line({"event": "connected", "transport": sio.transport()})
sio.emit("camera_register", {"camera_id": camera_id, "checkpoint_id": "1", "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S")})
jpeg = b"\xff\xd8\xff\xe0" + os.urandom(max(image_bytes - 6, 0)) + b"\xff\xd9"
for i in range(count):
    detection = {
        "type": "detection_result",
        "camera_id": camera_id,
        "checkpoint_id": "1",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S") + ".%06d" % i,
        "created_at": "2025-08-24 10:53:%02d" % (i % 60),
        "vehicles_count": 1,
        "plates_count": 1,
        "ocr_results": json.dumps([{"text": "กข %04d" % i, "confidence": 0.9}], ensure_ascii=False),
        "vehicle_detections": [{"bbox": [1, 2, 3, 4], "score": 0.9, "label": "car", "category_id": 2}],
        "processing_time_ms": 42.5,
        "seq_in_camera": i,
    }
    if image_bytes > 0:
        detection["original_image"] = base64.b64encode(jpeg).decode()
    sio.emit("lpr_data", detection)
sio.emit("health_status", {"type": "health_check", "camera_id": camera_id, "checkpoint_id": "1",
                           "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S"), "component": "Disk Space",
                           "status": "PASS", "message": "ok", "details": None})
ok = done.wait(60)
sio.disconnect()
sys.exit(0 if ok else 3)
