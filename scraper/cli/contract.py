"""The command line's contract: every error is one line on stderr, with a known status.

``CommandGroup.main`` runs a command and turns whatever stops it into one line and an exit
status (see ``scraper.exits`` and the README's table): a usage error 2, any other error 1,
Ctrl-C 130, a closed stdout 141. An error nobody foresaw is still one line, naming its
type (``PRESSARCHIV_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import contextlib
import os
import sys

import click

from scraper import exits

DEBUG_ENV = "PRESSARCHIV_DEBUG"


def _say(message: str) -> None:
    with contextlib.suppress(OSError):  # stderr gone too
        click.echo(f"Error: {message}", err=True)


def _usage(exc: click.UsageError) -> str:
    where = exc.ctx.command_path if exc.ctx else "pressarchiv"
    return f"{exc.format_message()} (see: {where} --help)"


class CommandGroup(click.Group):
    """A click group whose ``main`` keeps the contract above."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            _say(_usage(exc))
            code = exits.USAGE
        except click.ClickException as exc:
            _say(exc.format_message())
            code = exc.exit_code
        except (click.Abort, KeyboardInterrupt):
            _say("interrupted")
            code = exits.INTERRUPTED
        except BrokenPipeError:
            code = exits.BROKEN_PIPE
        except Exception as exc:  # noqa: BLE001 (the last line of defence: still one line)
            if os.environ.get(DEBUG_ENV):
                raise
            first = (str(exc).strip().splitlines() or [""])[0]
            _say(f"internal error: {type(exc).__name__}: {first} (set {DEBUG_ENV}=1 for details)")
            code = exits.FAILED
        else:
            code = result if isinstance(result, int) else exits.OK
        sys.exit(code)
