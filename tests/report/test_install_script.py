"""scripts/install.sh, the one setup script: valid bash, documented options."""
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "install.sh"


def test_install_script_parses_and_documents_its_options():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    usage = subprocess.run(["bash", str(SCRIPT), "--help"], capture_output=True, text=True,
                           check=True).stdout
    assert "--test" in usage and "fonts-noto-cjk" in usage and "poppler-utils" in usage
    bad = subprocess.run(["bash", str(SCRIPT), "--bogus"], capture_output=True, text=True)
    assert (bad.returncode, bad.stderr.strip()) == (2, "install.sh: unknown option --bogus (use --test)")
