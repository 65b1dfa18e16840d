"""Terminal escapes in file names, record ids and messages never reach the terminal from the
app: `ESC ] 52 ; c ; ... BEL` would set the clipboard, `ESC ] 0 ; ... BEL` the window title."""

from __future__ import annotations

import json

from explorer.app.app import NewsExplorer
from explorer.app.widgets.status_line import StatusLine
from tests.test_app import settle, view_text

CLIPBOARD = "\x1b]52;c;aGk=\x07"
TITLE = "\x1b]0;owned\x07"


def no_controls(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) < 0xA0 for c in text)


async def test_names_ids_and_notifications_show_no_escapes(workspace_factory, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"harbour{TITLE}.txt").write_text(
        "Harbour cranes idle\n\nThe harbour cranes stood idle on Monday.\n")
    (corpus / "wire.jsonl").write_text(json.dumps(
        {"id": f"w1{CLIPBOARD}", "title": f"Clipboard {TITLE}story", "source": f"Wire{TITLE}",
         "url": f"http://x.test/{CLIPBOARD}", "body": f"A harbour story {CLIPBOARD} here."}) + "\n")
    ws = workspace_factory(corpus)
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"harbour", "enter")
        await settle(app, pilot)
        screens = [app.export_screenshot()]
        for _ in range(2):                        # each article in turn
            await pilot.press("enter")
            await settle(app, pilot)
            view = app.article_view
            assert view.article is not None
            lines = view_text(view)
            assert all(no_controls(line) for line in lines), lines
            screens.append(app.export_screenshot())
            await pilot.press("escape", "down")
        app.notify(f"Saved alias {CLIPBOARD}", markup=False)
        app.query_one(StatusLine).show_error(f"query '{TITLE}': bad")
        await pilot.pause()
        screens.append(app.export_screenshot())
        assert all(no_controls(svg) for svg in screens)
        assert any("\u241b]0;owned\u2407" in svg for svg in screens)   # visible, not obeyed
