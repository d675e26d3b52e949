"""A central LPR server as checkpoints run them today (Flask-SocketIO 5.3 on eventlet), for
the forward tests: a handler per camera event that stores the message, answers with the
named reply event and returns nothing; the REST endpoints of the same protocol.

Every message received is appended to a JSON-lines file (argv[2]) so what arrived survives
a restart of this server; images are written there as the SHA-256 of their bytes.
Control (for tests only): POST /_control {"block_socketio": true|false} refuses Socket.IO
connections (REST keeps answering); GET /_connected lists cameras connected now.

    /usr/bin/python3 central_server.py PORT RECEIVED.jsonl
"""
import eventlet

eventlet.monkey_patch()

import base64  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO, emit  # noqa: E402

PORT = int(sys.argv[1])
RECEIVED = sys.argv[2]

app = Flask(__name__)
socketio = SocketIO(app, async_mode='eventlet', max_http_buffer_size=64 * 1024 * 1024, cors_allowed_origins='*')
state = {'block_socketio': False}
cameras = {}  # Socket.IO session id -> camera id (from camera_register)


def image_digest(value):
    return hashlib.sha256(base64.b64decode(value)).hexdigest()


def record(transport, event, body):
    body = dict(body or {})
    for field in ('annotated_image', 'original_image'):
        if isinstance(body.get(field), str):
            body[field] = {'sha256': image_digest(body[field])}
    if isinstance(body.get('cropped_plates'), list):
        body['cropped_plates'] = [{'sha256': image_digest(c)} for c in body['cropped_plates']]
    line = {'transport': transport, 'event': event, 'body': body, 'sid': getattr(request, 'sid', None)}
    with open(RECEIVED, 'a', encoding='utf-8') as f:
        f.write(json.dumps(line) + '\n')


@socketio.on('connect')
def on_connect(auth=None):
    if state['block_socketio']:
        return False
    return None


@socketio.on('disconnect')
def on_disconnect():
    cameras.pop(request.sid, None)


@socketio.on('camera_register')
def on_register(data):
    cameras[request.sid] = (data or {}).get('camera_id')
    record('socketio', 'camera_register', data)
    emit('register_response', {'success': True, 'message': 'Camera registered successfully', 'camera_id': (data or {}).get('camera_id')})


@socketio.on('lpr_data')
def on_lpr_data(data):
    if (data or {}).get('camera_id') == 'refuse-me':
        emit('lpr_response', {'success': False, 'message': 'camera refuse-me is not known here'})
        return
    record('socketio', 'lpr_data', data)
    emit('lpr_response', {'success': True, 'message': 'Detection data received', 'detection_id': str(uuid.uuid4())})


@socketio.on('health_status')
def on_health(data):
    record('socketio', 'health_status', data)
    emit('health_response', {'success': True, 'message': 'Health data received', 'health_id': str(uuid.uuid4())})


@app.post('/api/cameras/register')
def rest_register():
    body = request.get_json(force=True)
    record('rest', 'camera_register', body)
    return jsonify({'success': True, 'message': 'Camera registered successfully', 'camera_id': body.get('camera_id')})


@app.post('/api/detection')
def rest_detection():
    body = request.get_json(force=True)
    if body.get('camera_id') == 'refuse-me':
        return jsonify({'success': False, 'message': 'camera refuse-me is not known here'}), 422
    record('rest', 'lpr_data', body)
    return jsonify({'success': True, 'message': 'Detection data received', 'detection_id': str(uuid.uuid4())})


@app.post('/api/health')
def rest_health():
    record('rest', 'health_status', request.get_json(force=True))
    return jsonify({'success': True, 'message': 'Health data received', 'health_id': str(uuid.uuid4())})


@app.get('/api/test')
def rest_test():
    return jsonify({'success': True, 'message': 'Server is running'})


@app.post('/_control')
def control():
    state.update(request.get_json(force=True))
    if state['block_socketio']:
        for sid in list(cameras):
            socketio.server.disconnect(sid)
    return jsonify(state)


@app.get('/_connected')
def connected():
    return jsonify(sorted(c for c in cameras.values() if c))


if __name__ == '__main__':
    socketio.run(app, host='127.0.0.1', port=PORT, log_output=False)
