"""What can go wrong in a sync, as named errors a person can act on (zh_CN and en)."""
from __future__ import annotations

from sync import messages

messages.register({
    "client_unreachable": ("无法连接乡镇站（{detail}）。变更已保存在本机，有网络时再同步。",
                           "Cannot reach the township station ({detail}). Your changes are kept on this "
                           "computer; sync again when there is a connection."),
    "client_not_logged_in": ("尚未登录乡镇站，请先登录。", "Not logged in to a township station: log in first."),
    "client_auth_failed": ("乡镇站拒绝了登录：{detail}", "The station refused the login: {detail}"),
    "client_version": ("本程序与乡镇站的版本不符，请升级程序。{detail}",
                       "This program and the station speak different versions: update the program. {detail}"),
    "client_clock_ahead": ("本机时钟比乡镇站快太多，请校正电脑的日期和时间后再同步。{detail}",
                           "This computer's clock is too far ahead of the station's: correct the date and "
                           "time, then sync again. {detail}"),
    "client_cancelled": ("同步已取消；已完成的部分已保存，下次从这里继续。",
                         "Sync cancelled; what was done is saved and the next sync continues from there."),
    "client_station_error": ("乡镇站返回错误（{status}）：{detail}",
                             "The station answered with an error ({status}): {detail}"),
    "client_bad_url": ("乡镇站地址“{url}”无效，应形如 https://zhan.example.cn 或 http://192.168.1.10:8470。",
                       "The station address '{url}' is not valid; it looks like https://station.example.cn "
                       "or http://192.168.1.10:8470."),
    "client_insecure_url": ("乡镇站地址“{url}”不安全：互联网上的乡镇站请使用 https://（http:// 仅限本机或局域网）。",
                            "The station address '{url}' is not safe: use https:// for a station on the "
                            "internet (http:// only on this computer or the local network)."),
    "client_wrong_device": ("这个回执文件属于另一台设备（{device}），不是本机的。",
                            "This reply file belongs to another device ({device}), not this one."),
    "client_ca_missing": ("找不到乡镇站证书文件 {path}，请重新指定（gridbook-cli login --ca-bundle 文件）。",
                          "The station's certificate file {path} is missing: name it again "
                          "(gridbook-cli login --ca-bundle FILE)."),
    "client_tls_untrusted": ("本机不信任乡镇站的证书（{detail}）。请向乡镇网格中心索取证书文件，"
                             "登录时在“证书文件”中选择它（或 gridbook-cli login --ca-bundle 文件）。",
                             "This computer does not trust the station's certificate ({detail}). Ask the "
                             "township grid centre for its certificate file and choose it as the certificate "
                             "file when logging in (or gridbook-cli login --ca-bundle FILE)."),
    "client_check_differs": ("上次同步后核对：本机与乡镇站的{types}记录仍不一致（已重新下载过）。"
                             "请联系乡镇网格中心核查。",
                             "After the last sync this computer and the station still differ in: {types} (all was "
                             "received again). Ask the township grid centre to look into it."),
    "client_other_user_pending": ("此数据文件夹里还有 {owner} 的 {count} 条修改尚未同步。请先以 {owner} 登录并同步，"
                                  "再换 {user} 登录；或者为 {user} 使用另一个数据文件夹（--data 文件夹）。",
                                  "This data folder still holds {count} unsent changes of {owner}. Log in as "
                                  "{owner} and sync first, then log in as {user}; or give {user} a data folder "
                                  "of their own (--data FOLDER)."),
    "client_forked_restored": ("这份数据是从备份恢复的，已在 {at} 换用新的设备编号继续同步（原设备 {previous}），"
                               "没有丢失任何记录。",
                               "This data folder was restored from a backup: since {at} it syncs as a new "
                               "device (it was {previous}); no record was lost."),
    "client_forked_copied": ("这份数据是从另一台电脑复制来的，已在 {at} 换用新的设备编号（原设备 {previous}），"
                             "两台电脑的记录都不会丢失。",
                             "This data folder was copied from another computer: since {at} it syncs as a new "
                             "device (it was {previous}); neither computer's records are lost."),
    "client_forked_other_account": ("此电脑换了账号登录，已在 {at} 换用新的设备编号（原设备 {previous}）。",
                                    "Another account logged in on this computer: since {at} it syncs as a new "
                                    "device (it was {previous})."),
    "client_request_deadline": ("乡镇站在 {seconds} 秒内没有给出完整答复（网络太慢，或乡镇站出了问题）。"
                                "变更已保存在本机，稍后再同步。",
                                "The station gave no complete answer within {seconds} s (the line is too slow, "
                                "or the station is in trouble). Your changes are kept on this computer; sync "
                                "again later."),
    "client_sync_deadline": ("同步超过 {seconds} 秒仍未完成，已停止；已完成的部分已保存，下次同步从这里继续。",
                             "The sync ran for more than {seconds} s and was stopped; what was done is kept "
                             "and the next sync continues from there."),
    "client_answer_too_large": ("乡镇站的答复过大（超过 {limit} MB），已拒收。"
                                "请乡镇网格中心检查乡镇站和中间的网络设备。",
                                "The station's answer is too large (over {limit} MB) and was refused. Ask the "
                                "township grid centre to check the station and the network equipment in between."),
    "client_redirect": ("乡镇站地址返回了重定向（HTTP {status}，指向 {location}）。本程序不跟随重定向，"
                        "否则密码可能被发往别处。请向乡镇网格中心核对乡镇站地址。",
                        "The station address answered with a redirect (HTTP {status} to {location}). Gridbook "
                        "never follows a redirect: your password could be sent elsewhere. Check the station's "
                        "address with the township grid centre."),
    "client_demo_folder": ("这个数据文件夹里是演示村，演示数据只留在本机，不能登录乡镇站或同步。"
                           "请在新的数据文件夹中登录：gridbook --data 新文件夹"
                           "（命令行：gridbook-cli --data 新文件夹 login …）。",
                           "This data folder holds a demo village, which stays on this computer: it cannot log "
                           "in to a township station or sync. Log in from a new data folder: gridbook --data "
                           "NEW_FOLDER (command line: gridbook-cli --data NEW_FOLDER login ...)."),
    "client_token_file": ("本机没有可用的系统密钥环，登录凭据保存在数据文件夹中（仅当前用户可读）。",
                          "No system keyring is available: the login token is kept in the data folder "
                          "(readable by this user only)."),
})


class SyncError(Exception):
    """A sync that could not finish; `message(lang)` says why in the user's language."""

    code = "client_station_error"

    def __init__(self, detail: str = "", code: str | None = None, **params):
        self.code = code or type(self).code
        self.detail = detail
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        return messages.render(self.code, lang, **{"detail": self.detail, **self.params}).strip()


class StationUnreachable(SyncError):
    """No answer from the station (network down, timeouts, the station busy or down)."""
    code = "client_unreachable"


class StationUntrusted(SyncError):
    """The station answered over TLS with a certificate this computer does not trust: not retried."""
    code = "client_tls_untrusted"


class NotLoggedIn(SyncError):
    code = "client_not_logged_in"


class LoginRefused(SyncError):
    """A login this folder refuses before asking the station (another account's unsent changes)."""


class AuthFailed(SyncError):
    """401 (wrong password, revoked device), 423 (locked), 429 (slow down): the station says why."""
    code = "client_auth_failed"


class VersionMismatch(SyncError):
    """426: this program speaks another protocol or schema version than the station."""
    code = "client_version"


class ClockAhead(SyncError):
    code = "client_clock_ahead"


class Cancelled(SyncError):
    code = "client_cancelled"


class RequestDeadline(StationUnreachable):
    """No complete answer within the request's overall deadline (a dripping station or line)."""
    code = "client_request_deadline"


class SyncDeadline(SyncError):
    """The whole sync outlasted its deadline; what was committed stays, the next sync resumes."""
    code = "client_sync_deadline"


class DemoFolder(SyncError):
    """A demo village never leaves its laptop: its folder neither logs in nor syncs."""
    code = "client_demo_folder"


def refuse_demo(store) -> None:
    if store.is_demo:
        raise DemoFolder()


class StationError(SyncError):
    """Any other refusal by the station, carrying the station's own message."""
    code = "client_station_error"


class AnswerTooLarge(StationError):
    """An answer beyond the bound, as sent or once decompressed (a gzip bomb): not read further."""
    code = "client_answer_too_large"


class Redirected(StationError):
    """The station's address answered 3xx: never followed, it could carry the password elsewhere."""
    code = "client_redirect"


class BadSyncFile(SyncError):
    """A sync file that must not be applied (truncated, damaged, another device's)."""

    def __init__(self, file_error=None, code: str | None = None, **params):
        self.file_error = file_error
        super().__init__(code=code or "client_wrong_device", **params)

    def message(self, lang: str | None = None) -> str:
        if self.file_error is not None:
            return self.file_error.message(lang)
        return super().message(lang)
