"""A replica of the deployed camera's REST sender: probe GET /api/statistics once (5 s
timeout), then every cycle POST each unsent record (oldest first, up to 50) to
/api/statistics, one at a time; anything but 200/201 leaves it unsent for the next cycle.
Prints one JSON line per POST and a summary.

usage: deployed_rest_camera.py URL RECORDS CYCLES CAMERA_ID [IMAGE_BYTES]
"""
import base64
import json
import os
import sys
import time

import requests

url, total, cycles, camera_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
image_bytes = int(sys.argv[5]) if len(sys.argv) > 5 else 0

probe = requests.get(url + "/api/statistics", timeout=5)
if probe.status_code != 200:
    print(json.dumps({"probe": probe.status_code}))
    sys.exit(2)

unsent = []
for i in range(total):
    rec = {
        "type": "detection_result" if i % 5 else "health_check",
        "aicamera_id": camera_id,
        "timestamp": "2025-08-24T17:%02d:%02d.%06d" % (i // 60 % 60, i % 60, i),
        "created_at": "2025-08-24 10:%02d:%02d" % (i // 60 % 60, i % 60),
        "local_id": i,
    }
    if rec["type"] == "detection_result":
        rec.update({"vehicles_count": 1, "plates_count": 1,
                    "ocr_results": json.dumps([{"text": "ABC%04d" % i, "score": 0.8}]),
                    "vehicle_detections": json.dumps([{"bbox": [1, 2, 3, 4], "score": 0.9}]),
                    "plate_detections": "[]"})
        if image_bytes:
            rec["original_image"] = base64.b64encode(b"\xff\xd8\xff" + os.urandom(image_bytes)).decode()
    else:
        rec.update({"component": "CPU & RAM", "status": "PASS", "message": "fine",
                    "details": json.dumps({"cpu_percent": 10.5, "ram_percent": 40})})
    unsent.append(rec)

acked = {}
for cycle in range(cycles):
    batch, unsent = unsent[:50], unsent[50:]
    for rec in batch:
        try:
            r = requests.post(url + "/api/statistics", json=rec, timeout=30)
            ok = r.status_code in (200, 201)
            body = r.json()
        except Exception as exc:  # timeouts and dropped connections → resend next cycle
            ok, body = False, {"exception": str(exc)}
        print(json.dumps({"local_id": rec["local_id"], "ok": ok, "body": body}, ensure_ascii=False), flush=True)
        if ok:
            acked[rec["local_id"]] = body.get("detection_id") or body.get("health_id")
        else:
            unsent.append(rec)
    if not unsent:
        break
print(json.dumps({"summary": {"acked": len(acked), "unsent": len(unsent), "ids": acked}}), flush=True)
