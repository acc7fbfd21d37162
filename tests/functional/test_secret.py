# -object secret as QEMU 7.2's: data= or file=, raw or base64, what
# qom-get shows of it, the listings of -object help, every refusal in
# QEMU's words (each line is run by qemu-system-arm too where it is
# installed), and another object reading a secret (keyid= looks up its
# key, checked as QEMU checks it before emu refuses AES decryption).
# SPDX-License-Identifier: GPL-2.0-or-later
import base64
import os
import subprocess

from emutest import QMPClient, TIMEOUT, binary, emu_and_qemu, main, \
    tempdir, unix_connect

KEY_32 = base64.b64encode(bytes(range(32))).decode()
IV_16 = base64.b64encode(bytes(range(16))).decode()


def stderr_of(program, objects):
    """What PROGRAM says when it refuses -object OBJECTS (in order), in
    emu's name."""
    args = [program, "-M", "none", "-display", "none", "-S",
            "-monitor", "none"]
    for spec in objects:
        args += ["-object", spec]
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 1, (program, objects, proc.stderr)
    return proc.stderr.replace(os.path.basename(program), "emu-system-arm")


def files():
    d = tempdir()
    paths = {}
    for name, content in (("b64", b"c2VjcmV0\n"), ("bad", b"@@\n"),
                          ("nul", b"YW\0Jj"), ("key3", b"YWJj")):
        paths[name] = os.path.join(d, name)
        with open(paths[name], "wb") as f:
            f.write(content)
    paths["dir"] = d
    return paths


def test_refusals_as_qemu():
    f = files()
    key = f"secret,id=k,format=base64,data={KEY_32}"
    cases = [
        (["secret,id=s,data=@@@,format=base64"],
         "Base64 data contains invalid characters"),
        ([f"secret,id=s,file={f['bad']},format=base64"],
         "Base64 data contains invalid characters"),
        ([f"secret,id=s,file={f['nul']},format=base64"],
         "Base64 data contains embedded NUL characters"),
        (["secret,id=s,file=/nonexistent"],
         "Unable to read /nonexistent: Failed to open file \u201c"
         "/nonexistent\u201d: No such file or directory"),
        ([f"secret,id=s,file={f['dir']}"],
         f"Unable to read {f['dir']}: Error reading file \u201c"
         f"{f['dir']}\u201d: Is a directory"),
        ([f"secret,id=s,data=x,file={f['b64']}"],
         "'file' and 'data' are mutually exclusive"),
        (["secret,id=s"], "Either 'file' or 'data' must be provided"),
        (["secret,id=s,data=x,format=hex"],
         "-object secret,id=s,data=x,format=hex: Parameter 'format' does "
         "not accept value 'hex'"),
        (["secret,id=s,data=x,loaded=on"],
         "Property 'secret.loaded' is not writable"),
        (["secret,data=x"], "-object secret,data=x: Parameter 'id' is "
                            "missing"),
        (["secret,id=s,data=x,bogus=1"],
         "-object secret,id=s,data=x,bogus=1: Invalid parameter 'bogus'"),
        (["secret,id=s,data=x", "secret,id=s,data=y"],
         "-object secret,id=s,data=y: Duplicate ID 's' for object"),
        # keyid=: the key is another secret, read through the lookup.
        (["secret,id=s,data=x,keyid=k"], "No secret with id 'k'"),
        (["rng-builtin,id=k", "secret,id=s,data=x,keyid=k"],
         "Object with id 'k' is not a secret"),
        ([f"secret,id=k,file={f['key3']},format=base64",
          "secret,id=s,data=x,keyid=k"], "Key should be 32 bytes in length"),
        ([key, "secret,id=s,data=x,keyid=k"],
         "IV is required to decrypt secret"),
        ([key, "secret,id=s,data=x,keyid=k,iv=@"],
         "Base64 data contains invalid characters"),
        ([key, "secret,id=s,data=x,keyid=k,iv=YWJj"],
         "IV should be 16 bytes in length not 3"),
    ]
    for program in emu_and_qemu("arm"):
        for objects, message in cases:
            err = stderr_of(program, objects)
            assert err == f"emu-system-arm: {message}\n", (program, err)


def test_decryption_refused_with_the_reason():
    err = stderr_of(binary("arm"), [
        f"secret,id=k,format=base64,data={KEY_32}",
        f"secret,id=s,data=x,keyid=k,iv={IV_16}"])
    assert err == ("emu-system-arm: Cannot decrypt secret 's' with keyid "
                   "'k': emu has no AES-256-CBC (no crypto library among "
                   "its dependencies)\nGive the secret in clear with data= "
                   "or file= (format=base64 for binary data).\n"), err


def listing(program, what):
    proc = subprocess.run([program, "-object", what], capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc
    return proc.stdout


def test_listings_as_qemu():
    programs = emu_and_qemu("arm")
    assert "\n  secret\n" in listing(programs[0], "help")
    for what in ("secret,help", "rng-builtin,help", "rng-random,help"):
        texts = {listing(program, what) for program in programs}
        assert len(texts) == 1, (what, texts)
    assert listing(programs[0], "secret,help") == (
        "secret options:\n  data=<string>\n  file=<string>\n"
        "  format=<QCryptoSecretFormat>\n  iv=<string>\n  keyid=<string>\n")


def qom_session(program, qmp_path, f):
    """The replies of one QMP conversation about two secrets."""
    proc = subprocess.Popen(
        [program, "-M", "none", "-display", "none", "-S", "-monitor", "none",
         "-object", "secret,id=s0,data=hello",
         "-object", f"secret,id=s1,file={f['b64']},format=base64",
         "-qmp", f"unix:{qmp_path},server=on,wait=off"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    replies = []
    try:
        qmp = QMPClient(unix_connect(qmp_path))
        qmp.negotiate()
        reply, _ = qmp.cmd("qom-list", {"path": "/objects/s0"})
        replies.append(sorted(p["name"] + ":" + p["type"]
                              for p in reply["return"]))
        for path, prop in (("s0", "data"), ("s0", "format"),
                           ("s0", "loaded"), ("s0", "file"), ("s1", "file"),
                           ("s1", "data"), ("s1", "format"), ("s1", "keyid"),
                           ("s1", "iv"), ("s1", "type")):
            replies.append(qmp.cmd("qom-get", {"path": "/objects/" + path,
                                               "property": prop})[0])
        replies.append(qmp.cmd("qom-set", {"path": "/objects/s0",
                                           "property": "loaded",
                                           "value": False})[0])
        replies.append(qmp.cmd("qom-set", {"path": "/objects/s0",
                                           "property": "data",
                                           "value": "changed"})[0])
        replies.append(qmp.cmd("qom-get", {"path": "/objects/s0",
                                           "property": "data"})[0])
        qmp.cmd("quit")
        qmp.close()
        assert proc.wait(TIMEOUT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stderr.close()
    return replies


def test_qom_view_as_qemu():
    f = files()
    sessions = [qom_session(program, os.path.join(f["dir"], f"qmp{i}"), f)
                for i, program in enumerate(emu_and_qemu("arm"))]
    emu = sessions[0]
    assert emu[0] == ["data:string", "file:string",
                      "format:QCryptoSecretFormat", "iv:string",
                      "keyid:string", "loaded:bool", "type:string"], emu[0]
    assert emu[1:11] == [
        {"return": "hello"}, {"return": "raw"}, {"return": True},
        {"return": ""}, {"return": f["b64"]}, {"return": ""},
        {"return": "base64"}, {"return": ""}, {"return": ""},
        {"return": "secret"}], emu
    assert emu[11] == {"error": {"class": "GenericError", "desc":
                                 "Property 'secret.loaded' is not "
                                 "writable"}}, emu[11]
    assert emu[12:] == [{"return": {}}, {"return": "changed"}], emu[12:]
    for other in sessions[1:]:
        assert other == emu, other


if __name__ == "__main__":
    main(globals())
