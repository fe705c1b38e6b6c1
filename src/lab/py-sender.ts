// The part the lab's python3 raw-socket senders share (syn4-sender.ts, syn6-sender.ts): stop on SIGINT or SIGTERM, and
// a monotonic deadline taken from END_EPOCH_S (wall clock, so a slow start-up eats no budget). Needs `end_at` (float)
// and the signal and time modules; defines `stop`, `start` and `deadline`.
export const PY_STOP_AND_DEADLINE = String.raw`stop = False
def on_signal(*_):
    global stop
    stop = True
signal.signal(signal.SIGINT, on_signal)
signal.signal(signal.SIGTERM, on_signal)
start = time.monotonic()
deadline = start + (end_at - time.time())`;
