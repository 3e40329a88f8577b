/*
 * An anfang checklist plugin in C: complaint and petition handling
 * (assessment method, part 4(3)). Build and install:
 *
 *   cc -shared -fPIC -O2 -I plugins/api/include \
 *      -o libanfang_plugin_petitions.so plugins/api/examples/c/petitions.c
 *   mkdir -p ~/.local/share/anfang/plugins
 *   install -m 0644 libanfang_plugin_petitions.so ~/.local/share/anfang/plugins/
 *   anfang plugins check ~/.local/share/anfang/plugins/libanfang_plugin_petitions.so
 *   anfang plugins trust ~/.local/share/anfang/plugins/libanfang_plugin_petitions.so
 *
 * The manifest is a constant; the one computed rule ("2 points for every
 * 5 percentage points the backlog target is missed by") reads two numbers
 * from the request. A larger plugin would parse the request with a JSON
 * library such as cJSON; this one finds the two keys by name.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anfang_plugin.h"

static const char MANIFEST[] =
    "{"
    "\"id\": \"petitions\","
    "\"version\": \"1.0.0\","
    "\"name\": {\"zh\": \"信访投诉办理检查表\", \"en\": \"Petitions and complaints checklist\"},"
    "\"departments\": [{\"zh\": \"信访局\", \"en\": \"letters and calls bureau\"}],"
    "\"checklists\": [{"
    "  \"id\": \"petitions\","
    "  \"label\": {\"zh\": \"信访件办理\", \"en\": \"Handling petitions\"},"
    "  \"items\": ["
    "    {\"id\": \"petition-overdue\","
    "     \"label\": {\"zh\": \"交办信访件未按时限办理\", \"en\": \"Assigned petition not handled in time\"},"
    "     \"hint\": {\"zh\": \"每件次扣1分（考评办法四(三)2）。\", \"en\": \"1 point per case (assessment method 4(3)2).\"},"
    "     \"rule\": {\"kind\": \"per_count\", \"unit\": \"case\", \"points\": 1}},"
    "    {\"id\": \"petition-perfunctory\","
    "     \"label\": {\"zh\": \"敷衍塞责，处理不认真不到位\", \"en\": \"Petition handled perfunctorily\"},"
    "     \"hint\": {\"zh\": \"每件次扣2分（四(三)2）。\", \"en\": \"2 points per case (4(3)2).\"},"
    "     \"rule\": {\"kind\": \"per_count\", \"unit\": \"case\", \"points\": 2}},"
    "    {\"id\": \"petition-backlog-target\","
    "     \"label\": {\"zh\": \"未完成信访积案化解目标任务\", \"en\": \"Petition backlog target missed\"},"
    "     \"hint\": {\"zh\": \"每少5个百分点扣2分（四(三)2）；不足5个百分点不扣分。\","
    "               \"en\": \"2 points for every full 5 percentage points short (4(3)2); less than 5 costs nothing.\"},"
    "     \"rule\": {\"kind\": \"computed\", \"max\": 40, \"inputs\": ["
    "       {\"id\": \"target_percent\", \"label\": {\"zh\": \"化解目标（%）\", \"en\": \"Target (%)\"}, \"type\": \"percent\"},"
    "       {\"id\": \"achieved_percent\", \"label\": {\"zh\": \"实际化解（%）\", \"en\": \"Achieved (%)\"}, \"type\": \"percent\"}"
    "     ]}}"
    "  ]"
    "}]"
    "}";

/* Copies text into a buffer the host will hand back to free_buffer. */
static int32_t answer(AnfangBuffer *out, const char *text, int32_t status) {
    size_t len = strlen(text);
    uint8_t *copy = malloc(len ? len : 1);
    if (copy == NULL || out == NULL) {
        free(copy);
        return ANFANG_ERROR;
    }
    memcpy(copy, text, len);
    out->ptr = copy;
    out->len = len;
    return status;
}

static int32_t manifest(AnfangBuffer *out) {
    return answer(out, MANIFEST, ANFANG_OK);
}

/* The number after "key": in the request, or NAN. */
static double number_after(const char *request, const char *key) {
    char pattern[64];
    strcpy(pattern, "\"");
    strncat(pattern, key, sizeof pattern - 4);
    strcat(pattern, "\":");
    const char *at = strstr(request, pattern);
    if (at == NULL) {
        return NAN;
    }
    char *end;
    double value = strtod(at + strlen(pattern), &end);
    return end == at + strlen(pattern) ? NAN : value;
}

static int32_t score(const uint8_t *request, size_t request_len, AnfangBuffer *out) {
    /* The request is not NUL-terminated: copy it into a string first. */
    char *text = malloc(request_len + 1);
    if (text == NULL) {
        return ANFANG_ERROR;
    }
    memcpy(text, request, request_len);
    text[request_len] = '\0';
    if (strstr(text, "\"petition-backlog-target\"") == NULL) {
        free(text);
        return answer(out, "this plugin computes only petition-backlog-target", ANFANG_ERROR);
    }
    double target = number_after(text, "target_percent");
    double achieved = number_after(text, "achieved_percent");
    free(text);
    if (isnan(target) || isnan(achieved)) {
        return answer(out, "target_percent and achieved_percent are both needed", ANFANG_ERROR);
    }
    double shortfall = target - achieved;
    /* Whole steps of 5 points short; no libm needed. */
    long steps = shortfall <= 0 ? 0 : (long)(shortfall / 5);
    double points = 2.0 * (double)steps;
    char json[64];
    snprintf(json, sizeof json, "{\"points\": %g}", points);
    return answer(out, json, ANFANG_OK);
}

static void free_buffer(AnfangBuffer buffer) {
    free(buffer.ptr);
}

static const AnfangPlugin PLUGIN = {
    ANFANG_PLUGIN_ABI_VERSION,
    sizeof(AnfangPlugin),
    manifest,
    score,
    free_buffer,
};

ANFANG_EXPORT const AnfangPlugin *anfang_plugin_entry(void) {
    return &PLUGIN;
}
