; Inno Setup script for the Windows build (UNTESTED): wraps dist\desktop-chat\ (PyInstaller onedir)
; into one per-user installer, DesktopChat-<version>-setup.exe. See packaging/README.md.
; Build: pyinstaller packaging\desktop-chat.spec, then: iscc packaging\windows\desktop-chat.iss

#define AppName "Desktop Chat"
#define AppVersion "0.1.0"
#define AppExe "desktop-chat.exe"

[Setup]
AppId={{6E0C2B8A-4C1D-4E57-9C0B-0D6B3C8F2A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The Desktop Chat authors
DefaultDirName={localappdata}\Programs\Desktop Chat
DefaultGroupName={#AppName}
; Per-user install: no administrator rights needed, like install.sh on Linux.
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=DesktopChat-{#AppVersion}-setup
SetupIconFile=desktop-chat.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "gguf"; Description: "Open .gguf model files with {#AppName}"; GroupDescription: "File types:"

[Files]
Source: "..\..\dist\desktop-chat\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "org.desktopchat.DesktopChat"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .gguf double-click hands the file to the running window (the app's single-instance import).
Root: HKCU; Subkey: "Software\Classes\.gguf"; ValueType: string; ValueName: ""; ValueData: "DesktopChat.gguf"; Flags: uninsdeletevalue; Tasks: gguf
Root: HKCU; Subkey: "Software\Classes\DesktopChat.gguf"; ValueType: string; ValueName: ""; ValueData: "GGUF language model"; Flags: uninsdeletekey; Tasks: gguf
Root: HKCU; Subkey: "Software\Classes\DesktopChat.gguf\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: gguf
Root: HKCU; Subkey: "Software\Classes\DesktopChat.gguf\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: gguf

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Conversations, models and settings live in %LOCALAPPDATA%\desktop-chat (platformdirs), outside
; {app}, so uninstalling keeps them, as on Linux without --purge.
