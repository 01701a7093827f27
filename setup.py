"""Build of relcore's Python package and its C extension, relcore._core.

The extension compiles the very same C sources as the Makefile (csrc/rc_*.c
and csrc/cli.c) plus the binding in csrc/pyext/.  The built-in gazetteer
(csrc/data/gazetteer.tsv), the rule word lists and the entity tagger's
model (csrc/data/ner_model.bin) are compiled in through csrc/tools/embed.c,
the same generator the Makefile uses, and so is the gazetteer's snapshot,
which csrc/tools/snapshot.c makes with the core itself (built here once,
unoptimised, for that alone).  System libraries (libcsv, sqlite3,
utf8proc, xxhash, liburing) are linked dynamically; a missing one stops
the build with the name of the Debian package to install.
"""
import glob
import os
import subprocess
import sys
import sysconfig
from concurrent.futures import ThreadPoolExecutor

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
# the system libraries the core links (csrc/tools/check-deps.sh checks them)
SYSTEM_LIBS = ["csv", "sqlite3", "utf8proc", "xxhash", "uring", "pthread", "m"]


def _rel(path):
    return os.path.relpath(path, HERE)


def _parallel(compiler):
    """compiler.compile, with the sources compiled on every core at once
    (setuptools builds one extension's sources one after another); the
    compiler's own compile where its internals are not the ones used here."""
    if not all(hasattr(compiler, name) for name in ("_setup_compile", "_get_cc_args", "_compile")):
        return compiler.compile

    def compile(sources, output_dir=None, macros=None, include_dirs=None, debug=0,
                extra_preargs=None, extra_postargs=None, depends=None):
        macros, objects, extra_postargs, pp_opts, build = compiler._setup_compile(
            output_dir, macros, include_dirs, sources, depends, extra_postargs)
        cc_args = compiler._get_cc_args(pp_opts, debug, extra_preargs)

        def one(obj):
            src, ext = build[obj]
            compiler._compile(obj, src, ext, cc_args, extra_postargs, pp_opts)

        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(one, objects))
        return objects

    return compile


class BuildCore(build_ext):
    """build_ext that first checks the system libraries and embeds data."""

    def run(self):
        self._check_deps()
        self._gen_dir = os.path.join(self.build_temp, "gen")
        os.makedirs(self._gen_dir, exist_ok=True)
        self._embed_tool = os.path.join(self._gen_dir, "embed")
        subprocess.run([self._cc(), "-O2", "-o", self._embed_tool,
                        os.path.join(HERE, "csrc/tools/embed.c")], check=True)
        self._embed("rc_builtin_gazetteer", "csrc/data/gazetteer.tsv", "gazetteer_data.c")
        self._embed("rc_builtin_rules", "csrc/data/rules.tsv", "rules_data.c")
        self._embed("rc_builtin_stopwords", "csrc/data/stopwords.tsv", "stopwords_data.c")
        self._embed("rc_builtin_model", "csrc/data/ner_model.bin", "ner_model_data.c")
        self._embed("rc_builtin_snapshot", self._snapshot(), "gazetteer_snapshot_data.c")
        super().run()

    def build_extensions(self):
        self.compiler.compile = _parallel(self.compiler)
        super().build_extensions()

    def _cc(self):
        return os.environ.get("CC") or sysconfig.get_config_var("CC").split()[0] or "cc"

    def _check_deps(self):
        script = os.path.join(HERE, "csrc", "tools", "check-deps.sh")
        if subprocess.run(["sh", script, self._cc()]).returncode != 0:
            sys.exit("relcore: install the packages named above, then build again")

    def _snapshot(self):
        """The built-in gazetteer's snapshot, made as the Makefile makes it."""
        gen_dir = self._gen_dir
        tool = os.path.join(gen_dir, "snapshot")
        sources = [os.path.join(HERE, "csrc", "tools", f) for f in ("snapshot.c", "no_snapshot.c")]
        sources += sorted(glob.glob(os.path.join(HERE, "csrc", "rc_*.c")))
        sources += [os.path.join(gen_dir, f"{d}_data.c") for d in ("gazetteer", "rules", "stopwords")]
        libs = ["-l" + lib for lib in SYSTEM_LIBS]
        subprocess.run([self._cc(), "-O0", "-std=c11", "-D_GNU_SOURCE", "-pthread",
                        "-I" + os.path.join(HERE, "csrc"), "-o", tool] + sources + libs,
                       check=True)
        out = os.path.join(gen_dir, "gazetteer.snapshot")
        subprocess.run([tool, out], check=True)
        return out

    def _embed(self, name, data, out_name):
        out = os.path.join(self._gen_dir, out_name)
        subprocess.run([self._embed_tool, name, os.path.join(HERE, data), out], check=True)
        for ext in self.extensions:
            if out not in ext.sources:
                ext.sources.append(out)


sources = sorted(_rel(p) for p in glob.glob(os.path.join(HERE, "csrc", "rc_*.c")))
sources += ["csrc/cli.c", "csrc/pyext/relcore_module.c"]
extra = os.environ.get("RELCORE_CFLAGS", "").split()
core = Extension(
    "relcore._core",
    sources=sources,
    include_dirs=["csrc"],
    libraries=SYSTEM_LIBS,
    extra_compile_args=["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror",
                        "-Wno-missing-field-initializers", "-Wno-cast-function-type"] + extra,
    extra_link_args=extra,
)

setup(
    ext_modules=[core],
    cmdclass={"build_ext": BuildCore},
)
