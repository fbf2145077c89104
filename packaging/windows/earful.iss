; Inno Setup script: turns the Windows bundle into one installer, Earful-<version>-windows-x64-setup.exe.
; On Windows, after `python packaging\build.py` has made dist\earful:
;   iscc /DAppVersion=0.1.0 packaging\windows\earful.iss
; (build.py prints this command with the version filled in.) Not built in CI: only Linux is built there.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\earful"
#endif

[Setup]
; AppId identifies the app to Windows across versions (upgrades, uninstall): never change it.
AppId={{316AA999-93D9-4780-A9B5-6993544CF650}
AppName=Earful
AppVersion={#AppVersion}
AppVerName=Earful {#AppVersion}
AppPublisher=The Earful authors
DefaultDirName={autopf}\Earful
DefaultGroupName=Earful
DisableProgramGroupPage=yes
; Installs for the current user without asking for an administrator; the user may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\LICENSE
OutputDir=..\..\dist
OutputBaseFilename=Earful-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\earful.exe
UninstallDisplayName=Earful

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: earful.exe (the window), earful-cli.exe (commands) and _internal\.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Earful"; Filename: "{app}\earful.exe"
Name: "{autodesktop}\Earful"; Filename: "{app}\earful.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\earful.exe"; Description: "{cm:LaunchProgram,Earful}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put there; the user's libraries and models live elsewhere and are kept.
Type: filesandordirs; Name: "{app}\_internal"
