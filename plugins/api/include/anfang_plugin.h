/*
 * anfang_plugin.h: the anfang checklist plugin ABI, version 1.
 *
 * A plugin is a shared library exporting one function,
 *
 *     const AnfangPlugin *anfang_plugin_entry(void);
 *
 * which returns a pointer to a table that stays valid for the life of the
 * process (a static). The host reads abi_version and struct_size first and
 * refuses the plugin unless abi_version == ANFANG_PLUGIN_ABI_VERSION and
 * struct_size >= sizeof(AnfangPlugin).
 *
 * Data crosses as UTF-8 JSON in (pointer, length) buffers. Whatever the
 * plugin writes into an `out` buffer the host copies and then hands back to
 * the plugin's free_buffer; the request buffer the host passes to score is
 * the host's and is only read during the call. Functions return ANFANG_OK,
 * or ANFANG_ERROR with an optional UTF-8 message in `out`.
 *
 * The host never unloads a plugin, calls one plugin from one thread at a
 * time, and never calls score for an item whose rule is not "computed".
 */
#ifndef ANFANG_PLUGIN_H
#define ANFANG_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANFANG_PLUGIN_ABI_VERSION 1u

/* Status codes returned by manifest and score. */
#define ANFANG_OK 0
#define ANFANG_ERROR 1
/* Reserved for languages with exceptions: the call failed by a caught panic. */
#define ANFANG_PANIC 2

#if defined(_WIN32)
#define ANFANG_EXPORT __declspec(dllexport)
#else
#define ANFANG_EXPORT __attribute__((visibility("default")))
#endif

/* Bytes and their length. An empty buffer is { NULL, 0 }. */
typedef struct AnfangBuffer {
    uint8_t *ptr;
    size_t len;
} AnfangBuffer;

typedef struct AnfangPlugin {
    /* Must be ANFANG_PLUGIN_ABI_VERSION. */
    uint32_t abi_version;
    /* sizeof(AnfangPlugin) as the plugin was compiled. */
    uint32_t struct_size;
    /* Required. Writes the manifest JSON (see schemas/checklist.schema.json)
     * into *out. */
    int32_t (*manifest)(AnfangBuffer *out);
    /* Required when the manifest has a "computed" rule, else may be NULL.
     * request is {"item": "<item id>", "inputs": {"<input id>": <number>, ...}};
     * on ANFANG_OK *out holds {"points": <number>}, 0 <= points <= the rule's max. */
    int32_t (*score)(const uint8_t *request, size_t request_len, AnfangBuffer *out);
    /* Required. Frees a buffer that manifest or score wrote. */
    void (*free_buffer)(AnfangBuffer buffer);
} AnfangPlugin;

/* The one exported symbol. */
ANFANG_EXPORT const AnfangPlugin *anfang_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* ANFANG_PLUGIN_H */
