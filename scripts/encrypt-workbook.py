#!/usr/bin/python3
"""Save a workbook with a password, as LibreOffice does: the password-protected spreadsheet of
tests/bad-import (`savings import` must refuse it with one clear message).

Usage:
    /usr/bin/python3 scripts/encrypt-workbook.py IN.xlsx OUT.ods PASSWORD

Run by `cargo run --example import_fixtures` (tests/data/import/README.md). Needs LibreOffice
and its Python bridge (the python3-uno package: `import uno`, which the system Python has, not
a virtual environment's). LibreOffice starts headless with a throwaway profile, loads IN,
stores OUT as OpenDocument (filter calc8) with the password, and quits. An encrypted ods is
still a zip: its content.xml is encrypted as META-INF/manifest.xml describes.

(LibreOffice 7.4 does not save a password-protected xlsx from a script: the OOXML filter
refuses EncryptionData. The encrypted xlsx of tests/bad-import is an OLE container written by
the generator itself, as Excel saves one.)
"""

import os
import subprocess
import sys
import tempfile
import time

sys.path.append("/usr/lib/python3/dist-packages")
import uno  # noqa: E402
from com.sun.star.beans import PropertyValue  # noqa: E402

PORT = 2099


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, target, password = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as profile:
        office = subprocess.Popen(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--invisible",
                "--norestore",
                f"--accept=socket,host=127.0.0.1,port={PORT};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local
            )
            context = None
            for _ in range(120):
                try:
                    context = resolver.resolve(
                        f"uno:socket,host=127.0.0.1,port={PORT};urp;StarOffice.ComponentContext"
                    )
                    break
                except Exception:
                    time.sleep(0.5)
            if context is None:
                sys.exit("LibreOffice did not start")
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(os.path.abspath(source)),
                "_blank",
                0,
                (prop("Hidden", True),),
            )
            doc.storeToURL(
                uno.systemPathToFileUrl(os.path.abspath(target)),
                (prop("FilterName", "calc8"), prop("Password", password)),
            )
            doc.close(True)
            try:
                desktop.terminate()
            except Exception:
                pass  # the bridge closes as LibreOffice quits
        finally:
            try:
                office.wait(20)
            except subprocess.TimeoutExpired:
                office.terminate()
                office.wait(10)


if __name__ == "__main__":
    main()
