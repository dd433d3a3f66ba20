"""The station's own message codes (zh_CN, en), registered into sync.messages."""
from sync import messages

messages.register({
    "conflicts_shown": ("冲突第 {first}–{last} 条，共 {total} 条（--offset、--limit 翻页）。",
                        "Conflicts {first}–{last} of {total} (page with --offset and --limit)."),
    "conflicts_page": ("--offset 不能为负，--limit 应在 1 到 {max} 之间。",
                       "--offset cannot be negative and --limit must be 1 to {max}."),
    "malformed": ("请求格式有误：{detail}", "Malformed request: {detail}"),
    "unauthorized": ("未登录或登录已失效，请重新登录。", "Not logged in, or the login has expired: log in again."),
    "bad_login": ("用户名或密码错误。", "Wrong user name or password."),
    "revoked": ("此设备已被乡镇站停用，请联系乡镇网格中心。",
                "This device has been revoked by the station: contact the township grid centre."),
    "user_disabled": ("账号已停用，请联系乡镇网格中心。",
                      "This account is disabled: contact the township grid centre."),
    "slow_down": ("登录失败次数过多，请 {seconds} 秒后再试。",
                  "Too many failed logins: try again in {seconds} seconds."),
    "locked": ("登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试。",
               "Too many failed logins: the account is locked, try again in {minutes} minutes."),
    "version": ("本机的网格台账程序版本过旧（协议 {protocol}/{schema}，乡镇站需要协议 {want_protocol}、"
                "数据版本 {want_schema}），请升级网格台账程序后再同步；本机的记录都还在。",
                "This copy of Gridbook is too old for the station (protocol {protocol}/{schema}; the station "
                "speaks protocol {want_protocol}, schema {want_schema}): update Gridbook, then sync. Your "
                "records are kept on this computer."),
    "station_old": ("乡镇站的程序比本机旧（本机协议 {protocol}/{schema}，乡镇站支持 {want_protocol}/{want_schema}），"
                    "请联系乡镇网格中心升级乡镇站；本机的记录都还在，升级后再同步。",
                    "The station runs an older Gridbook than this computer (protocol {protocol}/{schema}; the "
                    "station speaks {want_protocol}/{want_schema}): ask the township grid centre to update the "
                    "station. Your records are kept here; sync after the update."),
    "diverged": ("乡镇站保存的本机第 {diverged_at} 条修改与本机不同：这份数据是从备份恢复或从别的电脑复制的。"
                 "本机将以新的设备身份继续同步，什么也不会丢失。",
                 "The station holds a different change {diverged_at} from this device: this data folder was "
                 "restored from a backup or copied from another computer. It carries on as a new device; "
                 "nothing is lost."),
    "device_taken": ("此设备编号已登记给另一台电脑或另一个账号，本机将使用新的设备编号。",
                     "This device id is registered to another computer or account: this folder takes a new one."),
    "too_large": ("一次提交的内容过多（最多 {max_changes} 条、{max_mb} MB），请分批提交。",
                  "Too much in one request (at most {max_changes} changes, {max_mb} MB): send smaller batches."),
    "body_timeout": ("上传中断：超过 {idle} 秒没有收到数据，本次提交未保存。请检查网络后重新同步，什么也不会丢失。",
                     "The upload stalled: nothing arrived for {idle} seconds and nothing of it was saved. "
                     "Check the connection and sync again; nothing is lost."),
    "invalid": ("有 {count} 条修改未通过校验，本批未保存。",
                "{count} changes failed validation; nothing of this batch was saved."),
    "out_of_scope": ("有 {count} 条修改超出您负责的网格，本批未保存。",
                     "{count} changes fall outside your grids; nothing of this batch was saved."),
    "out_of_scope_one": ("“{grid}”不在您负责的网格内。", "Grid '{grid}' is not one of yours."),
    "grid_readonly": ("网格由乡镇站统一管理，不能从设备上修改。",
                      "Grids are managed by the station and cannot be changed from a device."),
    "wrong_device": ("批次的设备编号与登录设备不符。", "The batch names another device than the one logged in."),
    "forbidden_role": ("此操作需要乡镇或县级账号。", "This needs a township or county account."),
    "gap": ("乡镇站只收到第 {acked} 条，请从第 {next} 条起重新发送。",
            "The station holds changes up to {acked}: resend from {next}."),
    "not_contiguous": ("批次序号不连续：应为 {first} 到 {last} 各一次。",
                       "The batch is not contiguous: it must hold {first} to {last} once each."),
    "clock_ahead": ("这台电脑的时间比乡镇站快了 {hours} 小时，请先改正电脑的日期和时间再同步。",
                    "This computer's clock is {hours} hours ahead of the station: fix the computer's date and time, "
                    "then sync."),
    "unavailable": ("乡镇站数据库暂时不可用，请稍后重试。", "The station's database is unavailable: retry later."),
    "internal": ("乡镇站内部错误（已记录），请稍后重试。", "The station hit an internal error (logged): retry later."),
    "not_found_path": ("没有这个地址。", "No such address."),
    "conflict_missing": ("找不到冲突记录 {id}。", "No conflict {id}."),
    "conflict_resolved": ("冲突 {id} 已处理过。", "Conflict {id} is already resolved."),
    "duplicate_take": ("重复登记的人员只能“merge”（合并为一人）或“local”（确是两个人，都保留）。",
                       "A resident registered twice is resolved with 'merge' (one person) or 'local' (two people "
                       "after all: keep both)."),
    "merge_take": ("只有重复登记的人员可以合并。", "Only a resident registered twice can be merged."),
    "soft_take": ("软冲突没有被覆盖的值，只能以“local”标记为已查看。",
                  "A soft conflict overwrote nothing: resolve it with 'local' to mark it reviewed."),
    "user_exists": ("用户“{name}”已存在。", "User '{name}' already exists."),
    "user_missing": ("没有用户“{name}”。", "No user '{name}'."),
    "device_missing": ("没有设备“{id}”。", "No device '{id}'."),
    "file_device_unknown": ("乡镇站还不认识这台电脑（设备 {id}）。第一次导入请用 --user 指明它属于哪个账号，"
                            "文件里自称的用户不作数。",
                            "The station does not know this computer yet (device {id}). For its first file, name "
                            "its account with --user; the user the file names is not believed."),
    "file_not_from_device": ("此同步文件不是登记的那台电脑（设备 {id}）导出的，已拒收，未作任何修改。",
                             "This sync file was not exported by the registered computer (device {id}): refused, "
                             "nothing was changed."),
    "device_other_user": ("设备 {id} 已登记在用户“{owner}”名下。", "Device {id} is registered to user '{owner}'."),
    "bad_role": ("角色应为 worker、township、county 或 station。",
                 "The role must be worker, township, county or station."),
    "stamps_station_only": ("只有下级站的账号（station）可以转发带时间戳的修改。",
                            "Only a lower station's account (role station) may forward stamped changes."),
    "upstream_unreachable": ("无法连接上级站 {url}：{detail}。本站的记录都还在，稍后会再转发。",
                             "Cannot reach the upper station {url}: {detail}. Everything is kept here and "
                             "will be forwarded later."),
    "upstream_refused": ("上级站拒绝了本站的请求：{detail}", "The upper station refused this station: {detail}"),
    "upstream_not_linked": ("本站还没有连接上级站，请先运行 gridbook-station upstream --station 地址 --user 账号。",
                            "This station has no upper station: run gridbook-station upstream --station URL "
                            "--user NAME first."),
    "upstream_not_station": ("上级站的账号“{user}”不是下级站账号（角色应为 station，现为 {role}）。",
                             "The upper station's account '{user}' is not a station account (role {role}, "
                             "not station)."),
    "upstream_linked": ("已连接上级站 {url}，账号 {user}，范围 {grids}。",
                        "Linked to the upper station {url} as {user}, scope {grids}."),
    "upstream_off": ("已断开上级站。", "Unlinked from the upper station."),
    "upstream_by_file": ("本站以同步文件向上级站转发：请用 gridbook-station sync --export 文件 导出，"
                         "再用 sync --import 回执 导入回执。",
                         "This station forwards to its upper station by sync file: export with gridbook-station "
                         "sync --export FILE, and import the reply with sync --import REPLY."),
    "upstream_file_other": ("这份回执属于另一台设备（{device}），不是本站向上级站转发用的。",
                            "This reply is for another device ({device}), not this station's link upward."),
    "upstream_file_diverged": ("上级站保存的本站第 {seq} 条起的修改与本站不同（本站可能从备份恢复）：请联网转发一次，"
                               "或重新连接（upstream --by-file）后再导出。",
                               "The upper station holds other changes of this station from {seq} on (this station "
                               "may have been restored from a backup): forward once over a link, or link again "
                               "(upstream --by-file) and export anew."),
    "upstream_file_done": ("已导出 {changes} 条修改、{conflicts} 条冲突到 {file}。",
                           "Exported {changes} changes and {conflicts} conflicts to {file}."),
    "upstream_synced": ("已转发：上送 {pushed} 条，暂存 {set_aside} 条，下载 {pulled} 条。",
                        "Forwarded: {pushed} sent, {set_aside} set aside, {pulled} received."),
    "bad_scope": ("{role}账号的网格编码“{value}”格式不对，应如 {example}。",
                  "A {role} account's code '{value}' is malformed; it looks like {example}."),
    "no_password": ("请从标准输入提供密码（--password-stdin）。",
                    "Give the password on standard input (--password-stdin)."),
    "short_password": ("密码至少 {min} 个字符。", "The password needs at least {min} characters."),
    "db_not_ready": ("数据库尚未初始化或版本较旧，请先运行 gridbook-station init。",
                     "The database is not initialised or is out of date: run gridbook-station init first."),
    "grid_file": ("网格文件无法读取：{detail}", "The grid file cannot be read: {detail}"),
    "grid_rows": ("网格文件第 {row} 行：{detail}", "Grid file row {row}: {detail}"),
    "tls_pair": ("请同时给出 --tls-cert 证书文件和 --tls-key 私钥文件。",
                 "Give both --tls-cert (the certificate file) and --tls-key (its private key file)."),
    "tls_files": ("无法使用证书 {cert} 和私钥 {key}：{detail}。请检查文件是否存在、可读且相互匹配。",
                  "Cannot use certificate {cert} with key {key}: {detail}. Check that both files exist, can be "
                  "read and belong together."),
    "serve_plain": ("注意：乡镇站在 {host} 上以 http 提供服务，密码和身份证号会以明文在网络上传输。"
                    "请用 --tls-cert 和 --tls-key 启用 https，或放在提供 https 的反向代理之后。",
                    "Note: the station serves plain http on {host}; passwords and ID numbers cross the network "
                    "as plain text. Enable https with --tls-cert and --tls-key, or serve behind a reverse proxy "
                    "that does."),
    "bad_value": ("值“{value}”不是有效的 JSON。", "The value '{value}' is not valid JSON."),
})
