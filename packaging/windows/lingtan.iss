; 零碳 Lingtan — Inno Setup 6 installer script (Inno Setup 6.3 or later: x64compatible, UTF-8 script).
;
; Build the one-folder application first (dist\lingtan\ with lingtan.exe, lingtan-gui.exe and
; _internal\), then from the repository root:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\lingtan.iss
;
; Output: dist\Lingtan-0.1.0-setup.exe. Step by step: docs/building-windows.md.
; Relative paths below are relative to this script's folder (Inno's default SourceDir).

#ifndef AppVersion
  ; Keep equal to pyproject.toml [project] version (tests/test_windows_packaging.py checks it).
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\lingtan"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#define AppName "零碳 Lingtan"
#define GuiExe "lingtan-gui.exe"
#define CliExe "lingtan.exe"
#define ProgId "Lingtan.Project"

; Chinese Simplified is offered only when its messages file is in Inno Setup's Languages folder. It is
; a user-contributed translation (https://jrsoftware.org/files/istrans/) that not every Inno Setup
; release puts there: without it the script still compiles, English only.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
  #define HaveChinese
#endif

[Setup]
; AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{9273BBB9-D190-463F-946E-E7F84A44D027}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Lingtan
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} Setup
DefaultDirName={autopf}\Lingtan
DefaultGroupName={#AppName}
; Program Files for all users (administrator). The start dialog also offers "only for me"
; (no administrator rights): {autopf} and HKA then mean the user's own folders and registry.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\icons\lingtan.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir={#OutputDir}
OutputBaseFilename=Lingtan-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Explorer re-reads file associations after install and uninstall.
ChangesAssociations=yes
CloseApplications=yes
ShowLanguageDialog=auto
#ifdef SignToolName
; Optional Authenticode signing of Setup and the uninstaller: define the tool on the command line,
; iscc /DSignToolName=lingtansign "/Slingtansign=signtool sign /fd SHA256 ... $f" (docs/building-windows.md).
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#ifdef HaveChinese
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[CustomMessages]
english.CmdPrompt=Lingtan 命令行 (command prompt)
english.CmdPromptComment=A command prompt where the lingtan command works (lingtan --help, lingtan --self-test)
english.AppComment=Zero-carbon park planning GIS
english.AssocGroup=GeoPackage files (.gpkg):
english.AssocDefault=Make Lingtan the default program for .gpkg files (otherwise Lingtan is only offered under "Open with")
english.ProjectType=零碳 Lingtan 项目 / Lingtan project
#ifdef HaveChinese
chinesesimplified.CmdPrompt=Lingtan 命令行 (command prompt)
chinesesimplified.CmdPromptComment=可使用 lingtan 命令的命令提示符（lingtan --help、lingtan --self-test）
chinesesimplified.AppComment=零碳园区规划 GIS
chinesesimplified.AssocGroup=GeoPackage 文件 (.gpkg)：
chinesesimplified.AssocDefault=将 Lingtan 设为 .gpkg 文件的默认程序（否则仅在“打开方式”中提供 Lingtan）
chinesesimplified.ProjectType=零碳 Lingtan 项目 / Lingtan project
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "gpkgdefault"; Description: "{cm:AssocDefault}"; GroupDescription: "{cm:AssocGroup}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no DLL or module of an older version stays next to the new ones.
; Only when the folder holds a Lingtan installation (never another program's _internal).
Type: filesandordirs; Name: "{app}\_internal"; Check: IsLingtanFolder

[Files]
; The PyInstaller one-folder build: lingtan.exe, lingtan-gui.exe and _internal\ (Qt, GDAL/PROJ data, resources).
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The app does not use its working folder ({app} is read-only to users anyway).
Name: "{group}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "{cm:AppComment}"
; cmd with the app folder first on PATH for that window only, starting in the user's profile folder:
; Program Files is read-only, so output written to the current folder must not land there. cmd strips
; the outer quotes of the /k string (cmd /?), leaving: cd /d "%USERPROFILE%" && set "PATH=...;%PATH%" && ...
Name: "{group}\{cm:CmdPrompt}"; Filename: "{cmd}"; Parameters: "/k ""cd /d ""%USERPROFILE%"" && set ""PATH={app};%PATH%"" && {#CliExe} --version"""; WorkingDir: "{app}"; IconFilename: "{app}\{#CliExe}"; Comment: "{cm:CmdPromptComment}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Registry]
; --- Lingtan projects are NAME.lingtan.gpkg. Explorer associates by the last extension only (.gpkg),
; so ".lingtan.gpkg" cannot have its own association. Lingtan registers a ProgID and lists it under
; .gpkg\OpenWithProgids ("Open with → 零碳 Lingtan" for every GeoPackage); the default program for
; .gpkg is only set when the user ticks the "gpkgdefault" task. lingtan-gui.exe PATH opens a Lingtan
; project as a project and adds any other GeoPackage as data.
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:ProjectType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: "FriendlyTypeName"; ValueData: "{cm:ProjectType}"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.gpkg\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
; Optional: Lingtan becomes the default for .gpkg (removed on uninstall). A choice the user made in
; Explorer ("Always use this app", stored as UserChoice) still wins over this value.
Root: HKA; Subkey: "Software\Classes\.gpkg"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue; Tasks: gpkgdefault
; The application itself, for "Open with → Choose another app" and its name in that list.
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\SupportedTypes"; ValueType: string; ValueName: ".gpkg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""
; --- App Paths: Win+R "lingtan" (or "lingtan-gui") opens the window without a console. The console
; program lingtan.exe is meant for a terminal: use the "Lingtan 命令行" Start-menu entry.
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\{#CliExe}"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\{#CliExe}"; ValueType: string; ValueName: "Path"; ValueData: "{app}"
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\{#GuiExe}"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\{#GuiExe}"; ValueType: string; ValueName: "Path"; ValueData: "{app}"

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ True when the chosen folder already holds Lingtan: only then is its _internal folder replaced. }
function IsLingtanFolder(): Boolean;
begin
  Result := FileExists(ExpandConstant('{app}\{#CliExe}')) and FileExists(ExpandConstant('{app}\{#GuiExe}'));
end;
