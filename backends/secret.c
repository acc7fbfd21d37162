/*
 * -object secret (include/sysemu/secret.h), as QEMU 7.2's: the value
 * comes from data= or from file=, as it is (format=raw) or decoded from
 * base64, once, when the object is created; errors in QEMU's words.
 *
 * keyid= names another secret holding an AES-256 key that would decrypt
 * this one with the iv= given (AES-256-CBC).  emu has no AES among its
 * dependencies: the key and the IV are checked as QEMU checks them,
 * then decryption is refused with the reason.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/base64.h"
#include "sysemu/secret.h"

typedef enum SecretFormat {
    SECRET_FORMAT_RAW,
    SECRET_FORMAT_BASE64,
} SecretFormat;

typedef struct Secret {
    Object parent_obj;
    char *data;
    char *file;
    int format;             /* SecretFormat */
    char *keyid;
    char *iv;
    bool loaded;            /* the value is in raw */
    uint8_t *raw;
    size_t raw_len;
} Secret;

#define SECRET(obj) INSTANCE_CAST(Secret, (obj), TYPE_SECRET)

/* What the key of an encrypted secret and its IV must be (AES-256-CBC). */
#define SECRET_KEY_LEN 32
#define SECRET_IV_LEN 16

bool secret_lookup(const char *id, uint8_t **data, size_t *len,
                   Error **errp)
{
    Object *objects = container_get(object_get_root(), "objects");
    Object *obj = object_get_child(objects, id);
    Secret *secret;

    if (!obj) {
        error_setg(errp, "No secret with id '%s'", id);
        return false;
    }
    if (!object_dynamic_cast(obj, TYPE_SECRET)) {
        error_setg(errp, "Object with id '%s' is not a secret", id);
        return false;
    }
    secret = SECRET(obj);
    if (!secret->loaded) {
        error_setg(errp, "Secret with id '%s' has no data", id);
        return false;
    }
    /* One byte more than the value: the NUL g_memdup2 copies too. */
    *data = g_memdup2(secret->raw, secret->raw_len + 1);
    *len = secret->raw_len;
    return true;
}

/* data= or the contents of file=: exactly one of them. */
static bool secret_read_input(Secret *s, char **input, size_t *len,
                              Error **errp)
{
    g_autoptr(GError) gerr = NULL;

    if (s->file) {
        if (s->data) {
            error_setg(errp, "'file' and 'data' are mutually exclusive");
            return false;
        }
        if (!g_file_get_contents(s->file, input, len, &gerr)) {
            error_setg(errp, "Unable to read %s: %s", s->file,
                       gerr->message);
            return false;
        }
        return true;
    }
    if (!s->data) {
        error_setg(errp, "Either 'file' or 'data' must be provided");
        return false;
    }
    *input = g_strdup(s->data);
    *len = strlen(s->data);
    return true;
}

/* QEMU's checks of the key and the IV, then the refusal. */
static bool secret_refuse_decryption(Secret *s, Error **errp)
{
    g_autofree uint8_t *key = NULL;
    g_autofree uint8_t *iv = NULL;
    size_t key_len, iv_len;
    bool key_ok;

    if (!secret_lookup(s->keyid, &key, &key_len, errp)) {
        return false;
    }
    key_ok = key_len == SECRET_KEY_LEN;
    explicit_bzero(key, key_len);
    if (!key_ok) {
        error_setg(errp, "Key should be %d bytes in length", SECRET_KEY_LEN);
        return false;
    }
    if (!s->iv) {
        error_setg(errp, "IV is required to decrypt secret");
        return false;
    }
    iv = base64_decode_checked(s->iv, strlen(s->iv), &iv_len, errp);
    if (!iv) {
        return false;
    }
    if (iv_len != SECRET_IV_LEN) {
        error_setg(errp, "IV should be %d bytes in length not %zu",
                   SECRET_IV_LEN, iv_len);
        return false;
    }
    error_setg(errp, "Cannot decrypt secret '%s' with keyid '%s': emu has "
               "no AES-256-CBC (no crypto library among its dependencies)",
               OBJECT(s)->name, s->keyid);
    error_append_hint(errp, "Give the secret in clear with data= or file= "
                      "(format=base64 for binary data).\n");
    return false;
}

static bool secret_complete(Object *obj, Error **errp)
{
    Secret *s = SECRET(obj);
    char *input = NULL;
    size_t len;

    if (!secret_read_input(s, &input, &len, errp)) {
        return false;
    }
    if (s->keyid) {
        explicit_bzero(input, len);
        g_free(input);
        return secret_refuse_decryption(s, errp);
    }
    if (s->format == SECRET_FORMAT_BASE64) {
        s->raw = base64_decode_checked(input, len, &s->raw_len, errp);
        explicit_bzero(input, len);
        g_free(input);
        if (!s->raw) {
            return false;
        }
    } else {
        s->raw = (uint8_t *)input;
        s->raw_len = len;
    }
    s->loaded = true;
    return true;
}

static void secret_finalize(Object *obj)
{
    Secret *s = SECRET(obj);

    /* The value goes from memory with the object. */
    if (s->raw) {
        explicit_bzero(s->raw, s->raw_len);
        g_free(s->raw);
    }
}

static const char *const secret_format_names[] = { "raw", "base64", NULL };

/* QEMU's, none with a help text; "loaded" only for qom-get. */
static const Property secret_properties[] = {
    DEFINE_PROP_STRING("data", Secret, data, NULL),
    DEFINE_PROP_STRING("file", Secret, file, NULL),
    { .name = "format", .kind = PROP_KIND_ENUM,
      .offset = offsetof(Secret, format), .width = sizeof(int),
      .enum_names = secret_format_names, .enum_type = "QCryptoSecretFormat",
      .defval.i = SECRET_FORMAT_RAW, .has_default = true },
    DEFINE_PROP_STRING("keyid", Secret, keyid, NULL),
    DEFINE_PROP_STRING("iv", Secret, iv, NULL),
    { .name = "loaded", .kind = PROP_KIND_BOOL,
      .offset = offsetof(Secret, loaded), .width = sizeof(bool),
      .read_only = true },
};

static void secret_class_init(ObjectClass *klass)
{
    klass->complete = secret_complete;
    class_add_properties(klass, secret_properties,
                         ARRAY_SIZE(secret_properties));
}

static const TypeInfo secret_types[] = {
    {
        .name = TYPE_SECRET,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(Secret),
        .class_init = secret_class_init,
        .instance_finalize = secret_finalize,
    },
};

DEFINE_TYPES(secret_types)
