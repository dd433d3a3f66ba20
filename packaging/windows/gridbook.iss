; Gridbook 网格台账: the Windows installer (Inno Setup 6). Built by build.ps1, which passes
;   /DAppVersion=<version from pyproject.toml>   /DChineseIsl=<path of ChineseSimplified.isl>
; and packs dist\gridbook\ (the PyInstaller one-folder bundle) as it is.
;
; Data is NOT in the program folder: the program keeps it in %LOCALAPPDATA%\Gridbook (platformdirs'
; user data folder; logs in its Logs\ subfolder). This script never touches that folder, so uninstalling
; or upgrading keeps every record. An upgrade installs over the same AppId and replaces only program files.
; Saved as UTF-8 with a BOM: Inno Setup reads the Chinese text correctly only then.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef ChineseIsl
  ; Not shipped with Inno Setup (an "unofficial" translation); build.ps1 finds or fetches it.
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#endif
#define AppExe "gridbook.exe"
#define Bundle "..\..\dist\gridbook"

[Setup]
; Never change AppId: upgrades find the installed copy by it.
AppId={{6F1C2B7E-4D3A-4E8B-9C51-0B7D2E3F9A41}
AppName=网格台账 Gridbook
AppVersion={#AppVersion}
AppVerName=网格台账 Gridbook {#AppVersion}
AppPublisher=Gridbook
VersionInfoVersion={#AppVersion}
; Per-user install: no administrator needed; {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\Gridbook
DefaultGroupName=网格台账 Gridbook
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running Gridbook before replacing its files (it saves every record as it is entered).
CloseApplications=yes
RestartApplications=no
OutputDir=..\..\dist\installer
OutputBaseFilename=gridbook-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=网格台账 Gridbook
#ifexist "gridbook.ico"
SetupIconFile=gridbook.ico
#endif

[Languages]
; Chinese first: it is chosen when Windows' language matches neither.
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.AppTitle=网格台账
english.AppTitle=Gridbook
chinesesimplified.StationTitle=网格台账乡镇同步站
english.StationTitle=Gridbook township station
chinesesimplified.DataNote=台账数据保存在 AppData\Local\Gridbook，卸载或升级都不会删除。
english.DataNote=Your ledger data stays in AppData\Local\Gridbook; uninstalling or upgrading never deletes it.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade must not leave libraries of the old version beside the new ones. Program files only:
; the data folder is elsewhere (see the top of this file).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:DataNote}"
Name: "{group}\{cm:UninstallProgram,{cm:AppTitle}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{cm:AppTitle}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes the files it installed and nothing
; else, so %LOCALAPPDATA%\Gridbook (records, backups, logs) survives for a reinstall.
