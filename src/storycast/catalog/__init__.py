"""catalog: the public Piper voice catalog (its voices.json and file layout),
downloading voices from it or a mirror, and the voices installed."""
