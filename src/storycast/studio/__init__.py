"""studio: a local web app to review who speaks each line, hear it, fix it,
re-render the book incrementally and listen along.

    session.py   which script file a studio edits, and its book folder
    state.py     the script being edited: ids, versions, edits, undo
    clips.py     one line's audio, from the clip cache or said on demand
    jobs.py      the background render and its progress
    server.py    the HTTP API, the page, and the book's files with byte ranges
    handler.py   requests: token, Origin, JSON bodies and errors

The page itself (plain HTML, CSS and JavaScript) is package data in
storycast/data/studio."""
