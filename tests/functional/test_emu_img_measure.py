# emu-img measure (issue 10): the host size an image would take, for a
# virtual size or for what an image holds, printed as qemu-img prints it
# (human and JSON) for qcow2 and raw, every cluster size and refcount
# width, v2 and v3, sparse and full inputs, backing chains.
# SPDX-License-Identifier: GPL-2.0-or-later
from emutest import main
from imgtest import emu_img, path, qemu_image, qemu_img, same_output


def test_measure_a_size_as_qemu_img():
    for size in ("0", "1001", "1G", "100G", "3T"):
        for fmt, options in (("raw", None), ("qcow2", None),
                             ("qcow2", "compat=0.10"),
                             ("qcow2", "cluster_size=512"),
                             ("qcow2", "cluster_size=2M"),
                             ("qcow2", "cluster_size=4k,refcount_bits=1"),
                             ("qcow2", "refcount_bits=64")):
            args = ["measure", "-O", fmt, "--size", size]
            if options:
                args += ["-o", options]
            for json in ([], ["--output=json"]):
                e = emu_img(*args, *json, check=False)
                q = qemu_img(*args, *json, check=False)
                assert (e.returncode, e.stdout,
                        e.stderr.replace("emu-img", "qemu-img")) == \
                    (q.returncode, q.stdout, q.stderr), (args, e, q)


def test_measure_an_image_as_qemu_img():
    qemu_image("data.qcow2")                       # 16 MiB, some of it
    qemu_img("create", "-q", "-f", "qcow2", "-b", "data.qcow2", "-F",
             "qcow2", "top.qcow2")
    qemu_img("convert", "-O", "raw", "data.qcow2", "data.raw")
    with open(path("sparse.raw"), "wb") as f:
        f.truncate(64 << 20)
        f.seek(5 << 20)
        f.write(b"x" * 100000)
    for image in ("data.qcow2", "top.qcow2", "data.raw", "sparse.raw"):
        for args in (["-O", "qcow2"], ["-O", "raw"],
                     ["-O", "qcow2", "-o", "compat=0.10"],
                     ["-O", "qcow2", "-o", "cluster_size=4k"]):
            same_output("measure", *args, image)
            same_output("measure", "--output=json", *args, image)


def test_measure_errors_as_qemu_img():
    for args in (["measure", "-O", "qcow2"],
                 ["measure", "-O", "qcow2", "--size", "1G", "x.qcow2"]):
        e = emu_img(*args, check=False)
        q = qemu_img(*args, check=False)
        assert (e.returncode, e.stderr.replace("emu-img", "qemu-img")) == \
            (q.returncode, q.stderr), (args, e.stderr, q.stderr)
    e = emu_img("measure", "-O", "qcow2", "missing.qcow2", check=False)
    assert e.returncode == 1 and "missing.qcow2" in e.stderr, e.stderr


if __name__ == "__main__":
    main(globals())
