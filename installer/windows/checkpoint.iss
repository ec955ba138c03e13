; Inno Setup script for Checkpoint on Windows (x64). NOT BUILT OR TESTED on the Linux build
; machine: it needs Windows, where PyInstaller must run too (it cannot cross-compile).
; See installer/README.md, "Windows", for the steps.
;
;   uv sync --locked --group installer
;   uv run python installer\render_icons.py build\icons
;   uv run pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\checkpoint.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows\checkpoint.iss
;
; Output: dist\checkpoint-0.1.0-windows-x64-setup.exe. Keep AppVersion equal to
; checkpoint.__version__ (a test checks it).

#define AppName "Checkpoint"
#define AppVersion "0.1.0"
#define AppExe "checkpoint.exe"
#define BundleDir "..\..\dist\checkpoint"

[Setup]
; A fixed AppId lets later versions upgrade this installation in place.
AppId={{6F1C7B52-3D0B-4B8E-9C61-0E7A1D6C2B94}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Checkpoint maintainers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=checkpoint-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\checkpoint.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Desk PCs are installed by IT for every officer: per-machine, administrator rights.
PrivilegesRequired=admin
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle: checkpoint.exe and _internal\ (Qt, models, lists).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Parameters: "gui"
Name: "{group}\{#AppName} (demo)"; Filename: "{app}\{#AppExe}"; Parameters: "gui --demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Parameters: "gui"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Parameters: "gui --demo"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent unchecked
