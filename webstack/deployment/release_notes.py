"""The release summary as Markdown (`webstack release --summary-md FILE`), and the deploy workflow's
two readers of that file: the job summary and, when the secret is configured, Slack.

    python -m webstack.deployment.release_notes markdown FILE --stack dev >> "$GITHUB_STEP_SUMMARY"
    SLACK_WEBHOOK_URL=... python -m webstack.deployment.release_notes slack FILE --stack dev
    python -m webstack.deployment.release_notes cost-line COMPARED.json --stack dev > cost.md

(`cost-line` turns `webstack cost <stack> --compare PREVIOUS --json` into the release summary's
cost line: `webstack release --cost-note cost.md`.)

Standard library only: the workflow's notification steps run with any Python 3.11, even when the
project's virtualenv could not be installed. The webhook URL is read from the environment only
and never printed."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

COLUMNS = ("tag", "from", "image", "scan", "migration", "rollout", "smoke")
SLACK_TEXT_LIMIT = 3500  # Slack shortens longer messages; the job summary keeps the whole table
Poster = Callable[[str, bytes], int]  # (url, JSON body) -> HTTP status


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "-"


def render(
    stack: str,
    tag: str,
    code: int,
    results: Mapping[str, Mapping[str, str]],
    *,
    stopped: str | None = None,
    cost: str | None = None,
) -> str:
    """The summary of one release: stack, tag, result, one row per service, and the cost line when
    a cost comparison was handed over."""
    outcome = "succeeded" if code == 0 else f"failed (exit {code})"
    lines = [f"## Release {stack}: `{tag}` {outcome}", ""]
    if stopped:
        lines += [f"Stopped: {_cell(stopped)}", ""]
    if results:
        lines.append("| service | " + " | ".join(COLUMNS) + " |")
        lines.append("|---" * (len(COLUMNS) + 1) + "|")
        for name, result in results.items():
            lines.append(f"| {_cell(name)} | " + " | ".join(_cell(result.get(c, "-")) for c in COLUMNS) + " |")
        lines.append("")
    if cost:
        lines += [f"**Cost:** {cost.strip()}", ""]
    return "\n".join(lines)


def summary_or_fallback(path: Path, stack: str) -> str:
    """The file `release` wrote, or a line saying it never got that far."""
    if path.is_file():
        return path.read_text()
    return f"## Release {stack}: did not run to its summary\n\nSee the job's log (setup or credentials failed).\n"


def slack_text(markdown: str, run_url: str | None = None) -> str:
    """The summary in Slack's mrkdwn: headings bold, the table in a code block, the run linked."""
    out: list[str] = []
    table: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            if not line.startswith("|---"):
                table.append(line.replace("\\|", "/"))
            continue
        if table:
            out += ["```", *table, "```"]
            table = []
        if line.startswith("#"):
            out.append(f"*{line.lstrip('#').strip().replace('`', '')}*")
        elif line:
            out.append(line.replace("**", "*"))
    text = "\n".join(out)
    if len(text) > SLACK_TEXT_LIMIT:
        text = text[: SLACK_TEXT_LIMIT - 40].rstrip() + "\n… (shortened: the job summary has it all)"
    if run_url:
        text += f"\n<{run_url}|The run>"
    return text


def http_post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return int(answer.status)
    except OSError as error:
        return int(getattr(error, "code", 0) or 0)


def post_to_slack(text: str, env: Mapping[str, str], post: Poster = http_post) -> tuple[bool, str]:
    """Post ``text`` to the incoming webhook in SLACK_WEBHOOK_URL; (posted, what to print), never the URL."""
    url = env.get("SLACK_WEBHOOK_URL", "").strip()
    if not url:
        return False, "SLACK_WEBHOOK_URL is not set: nothing posted"
    if not url.startswith("https://"):
        return False, "SLACK_WEBHOOK_URL is not an https:// URL: nothing posted"
    status = post(url, json.dumps({"text": text}).encode())
    if 200 <= status < 300:
        return True, f"posted the release summary to Slack (HTTP {status})"
    return False, f"Slack answered HTTP {status or 'nothing'}: the summary was not posted"


def cost_line(compared: Mapping[str, object], stack: str) -> str:
    """One line: the stack's monthly estimate and how it moved from the previous stack config."""
    now, before = compared.get("compared"), compared.get("base")
    if not isinstance(now, Mapping) or not isinstance(before, Mapping):
        return f"{stack}: no cost comparison"
    total, previous = float(now["total_monthly"]), float(before["total_monthly"])
    unknown = int(now.get("unknown_lines") or 0)
    partial = f", partial: {unknown} lines without a price" if unknown else ""
    change = "unchanged" if round(total - previous, 2) == 0 else f"{total - previous:+,.2f} a month"
    return (
        f"{stack}: ${total:,.2f} a month ({now.get('region')}{partial}), {change} from the previous commit's "
        f"stack config (${previous:,.2f})"
    )


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None, post: Poster = http_post) -> int:
    parser = argparse.ArgumentParser(prog="python -m webstack.deployment.release_notes", description=__doc__)
    parser.add_argument("target", choices=("markdown", "slack", "cost-line"))
    parser.add_argument(
        "summary",
        type=Path,
        help="the file `webstack release --summary-md` wrote (cost-line: `webstack cost --compare --json`'s)",
    )
    parser.add_argument("--stack", required=True, help="the stack, for a release that wrote no summary")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env
    if args.target == "cost-line":
        try:
            compared = json.loads(args.summary.read_text())
        except (OSError, ValueError):
            compared = {}
        print(cost_line(compared, args.stack))
        return 0
    markdown = summary_or_fallback(args.summary, args.stack)
    if args.target == "markdown":
        sys.stdout.write(markdown)
        return 0
    posted, message = post_to_slack(slack_text(markdown, env.get("RUN_URL")), env, post)
    print(message)
    return 0 if posted else 1


if __name__ == "__main__":
    sys.exit(main())
