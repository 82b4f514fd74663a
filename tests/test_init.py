"""The package imports its public names on first use, and they are the ones it always exported."""
import subprocess
import sys


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout


def test_importing_the_package_loads_no_analysis():
    out = _python("import sys, ompwise; print(sorted(m for m in sys.modules if m.startswith('ompwise')))")
    assert out.strip() == "['ompwise']"


def test_advise_stays_the_function_when_its_module_is_imported_first():
    out = _python("import ompwise.cli, ompwise; from ompwise import advise, analyze_source, insert_pragmas; "
                  "import inspect; print(inspect.isfunction(advise), inspect.isfunction(ompwise.advise), "
                  "ompwise.analyze_source is analyze_source, callable(insert_pragmas))")
    assert out.split() == ["True", "True", "True", "True"]


def test_unknown_names_raise_attribute_error():
    import ompwise
    try:
        ompwise.no_such_name
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("no AttributeError")
    assert set(ompwise.__all__) <= set(dir(ompwise))
