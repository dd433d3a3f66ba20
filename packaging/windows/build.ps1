# Build the Windows installer: PyInstaller bundle -> self-test -> Inno Setup.
# Run from any folder, in PowerShell 5+ or pwsh, with the project's Python environment active:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-Install]
# -Install first installs Gridbook and PyInstaller at the versions of requirements-lock.txt
# (what CI does: python -m pip install -c requirements-lock.txt -e ".[package]").
# Output: dist\installer\gridbook-setup-<version>.exe
# No Windows machine is reachable where Gridbook is developed: this script is kept correct by reading,
# and run for real by .github/workflows/windows.yml.
param(
    [switch]$Install,             # pip install the program and PyInstaller from the lock first
    [switch]$SkipBundle,          # reuse dist\gridbook from an earlier run
    [string]$Python = "python"
)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

# The version lives in one place, pyproject.toml.
$Version = (& $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "could not read the version from pyproject.toml" }
Write-Host "Gridbook $Version"

if ($Install) {
    Invoke-Checked "pip install" { & $Python -m pip install -c requirements-lock.txt -e ".[package]" }
}

if (-not $SkipBundle) {
    Invoke-Checked "PyInstaller" { & $Python -m PyInstaller --noconfirm --clean --log-level WARN packaging\gridbook.spec }
}

# gridbook.exe is a windowed program: Start-Process -Wait is what waits for it and yields its exit code.
# The verdict and reason also go to build\selftest.txt, since a windowed program has no console.
New-Item -ItemType Directory -Force -Path (Join-Path $Root "build") | Out-Null
$Shot = Join-Path $Root "build\selftest.png"
$SelfTest = Start-Process -FilePath (Join-Path $Root "dist\gridbook\gridbook.exe") `
    -ArgumentList @("--selftest", "`"$Shot`"") -Wait -PassThru
Get-Content (Join-Path $Root "build\selftest.txt") -ErrorAction SilentlyContinue | Write-Host
if ($SelfTest.ExitCode -ne 0) { throw "gridbook.exe --selftest failed (exit code $($SelfTest.ExitCode))" }

# Inno Setup 6: on PATH, or where its installer (or choco install innosetup) puts it.
$Iscc = (Get-Command "iscc.exe" -ErrorAction SilentlyContinue).Source
if (-not $Iscc) {
    $Candidates = @(
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe")
    $Iscc = $Candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6 not found: install it (choco install innosetup) and run again" }

# Simplified Chinese installer messages are an "unofficial" Inno Setup translation, not installed with it:
# use the compiler's copy if someone added it, else the one kept in the Inno Setup source repository.
$ChineseIsl = Join-Path (Split-Path $Iscc) "Languages\ChineseSimplified.isl"
if (-not (Test-Path $ChineseIsl)) {
    $ChineseIsl = Join-Path $Root "build\ChineseSimplified.isl"
    if (-not (Test-Path $ChineseIsl)) {
        $Url = "https://raw.githubusercontent.com/jrsoftware/issrc/main/Files/Languages/Unofficial/ChineseSimplified.isl"
        Invoke-WebRequest -Uri $Url -OutFile $ChineseIsl -UseBasicParsing
    }
}

Invoke-Checked "Inno Setup" {
    & $Iscc "/DAppVersion=$Version" "/DChineseIsl=$ChineseIsl" (Join-Path $Root "packaging\windows\gridbook.iss")
}
$Installer = Join-Path $Root "dist\installer\gridbook-setup-$Version.exe"
if (-not (Test-Path $Installer)) { throw "Inno Setup reported success but $Installer is missing" }
Write-Host "installer: $Installer ($([math]::Round((Get-Item $Installer).Length / 1MB, 1)) MB)"
