"""The command line's way to the encrypted store: the recovery passphrase from stdin, the env, or a prompt.

`--passphrase-stdin` reads it from the first line of standard input (a later
`login --password-stdin` reads the next line); else GRIDBOOK_PASSPHRASE; else the OS
keyring holds the key; else, at a terminal, it is asked for. `passphrase` changes it.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from sync import messages

from .store import keys, open_store, unlock
from .store.keys import KeyUnavailable

messages.register({
    "store_prompt_passphrase": ("恢复口令：", "Recovery passphrase: "),
    "store_prompt_new": ("设置恢复口令（至少 {min} 个字；请写下来另外保管，忘了无法找回）：",
                         "Set a recovery passphrase (at least {min} characters; write it down and keep it apart: "
                         "it cannot be recovered): "),
    "store_prompt_again": ("再输一遍：", "Once more: "),
    "store_passphrases_differ": ("两次输入的恢复口令不一样，什么也没有改动。",
                                 "The two passphrases differ; nothing was changed."),
    "store_passphrase_changed": ("恢复口令已更改：以后换电脑或换账户时，用新口令打开台账。",
                                 "The recovery passphrase was changed: use the new one on another computer "
                                 "or account."),
})
COMMANDS = ("passphrase",)


def add_options(parser: argparse.ArgumentParser, sub) -> None:
    parser.add_argument("--passphrase-stdin", action="store_true",
                        help="read the recovery passphrase of the encrypted data folder from the first line of "
                             "standard input (else GRIDBOOK_PASSPHRASE, else the OS keyring, else a prompt)")
    change = sub.add_parser("passphrase", help="change the recovery passphrase (the data stays as it is)")
    change.add_argument("--new-stdin", action="store_true",
                        help="read the new passphrase from the next line of standard input")


def _line() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _ask_new() -> str:
    first = getpass.getpass(messages.render("store_prompt_new", min=keys.MIN_PASSPHRASE))
    if getpass.getpass(messages.render("store_prompt_again")) != first:
        raise KeyUnavailable("store_passphrases_differ")
    return first


def open_for(args: argparse.Namespace):
    """The store of `--data`, unlocked; KeyUnavailable (with the reason) if it cannot be."""
    passphrase = _line() if args.passphrase_stdin else None
    try:
        return open_store(args.data, passphrase=passphrase)
    except KeyUnavailable as exc:
        if passphrase is not None or not sys.stdin.isatty():
            raise
        if exc.code == "store_locked":
            return open_store(args.data, passphrase=getpass.getpass(messages.render("store_prompt_passphrase")))
        if exc.code == "store_passphrase_needed":
            return open_store(args.data, passphrase=_ask_new())
        raise


def run(args: argparse.Namespace, store) -> int:
    new = _line() if args.new_stdin else _ask_new()
    unlock.change_passphrase(store.path.parent, store.key, new)
    print(messages.render("store_passphrase_changed"))
    return 0
