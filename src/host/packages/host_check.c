/* host_check.c - lsahost check (see host_check.h): each call the run makes is recorded
 * with what came back and the DLL it went to, printed as it happens and kept for the
 * closing report, which is text and, with --json, the same as JSON
 * (src/common/json_writer.c). */
#include "host_check.h"
#include "host_finding.h"
#include "host_package.h"
#include "host_packages.h"
#include "host_sspi.h"
#include "../lsa/host_account.h"
#include "../lsa/host_callbacks.h"
#include "../lsa/host_heap.h"
#include "../lsa/host_identity.h"
#include "../host_trace.h"
#include "../../common/json_writer.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define EXIT_CLEAN 0
#define EXIT_USAGE 1
#define EXIT_NOT_LOADABLE 2
#define EXIT_FAILED 3

/* SecpkgNego2Info and its structure (SECPKG_NEGO2_INFO, ntsecpkg.h since Windows 7),
 * which MinGW-w64's ntsecpkg.h does not declare. SecpkgMaxInfo (6) ends the older list
 * and is no class to ask for. */
#define CHECK_SECPKG_NEGO2_INFO 7
typedef struct check_nego2_info {
    UCHAR AuthScheme[16];
    ULONG PackageFlags;
} check_nego2_info;

_Static_assert(HOST_FINDING_DLLS >= HOST_MAX_DLLS, "findings are counted for every DLL");

/* One call the check made: to which DLL and table (-1 for the DLL as a whole), what it
 * was asked, what came back. */
typedef struct check_call {
    ULONG dll;
    LONG table;
    char call[40];
    char argument[48];
    char status[48];
    ULONG code;
    char result[400];
} check_call;

#define CALLS_KEPT 512

/* What SpGetInfo said, kept past the unload (the strings live in the package's DLL). */
typedef struct check_table {
    char name[3 * 256 + 1], comment[3 * 256 + 1];
    BOOL name_ok, comment_ok;       /* readable and terminated */
    ULONG capabilities, max_token;
    USHORT version, rpc_id;
} check_table;

/* What the check found of one DLL, kept past its unload. */
typedef struct check_dll {
    char path[3 * MAX_PATH];
    const char *short_name;  /* its file name, which prefixes its lines when there are several */
    host_package *pkg;       /* while loaded */
    BOOL loaded, started;
    char error[512];         /* why the package did not load or start */
    ULONG interface_version, entries, table_count;
    ULONG first_id, ids;     /* its tables' package ids: first_id to first_id + ids - 1 */
    check_table tables[HOST_MAX_TABLES];
    BOOL unload_noted[HOST_MAX_TABLES];
    host_account_entry leaks[HOST_RES_COUNT]; /* charged to its packages */
    int exit_status;
} check_dll;

static struct {
    FILE *report;            /* stdout, or stderr when the JSON goes to stdout */
    ULONG dll_count;
    BOOL several;
    ULONG current;           /* the DLL being checked */
    check_dll dlls[HOST_MAX_DLLS];
    check_call calls[CALLS_KEPT];
    size_t call_count;
    /* With several DLLs, what no package is charged with (host_account.h says which
     * kinds keep their owner); with one, everything is that DLL's. */
    host_account_entry uncharged[HOST_RES_COUNT];
    int exit_status;
} run;

static check_dll *current(void)
{
    return &run.dlls[run.current];
}

/* Table i of the DLL being checked, as lsahost lists it (every table of a DLL that
 * started is listed): calls go through it, so that once the package unloads itself they
 * are refused as in any run. */
static const host_secpkg *package_of(ULONG i)
{
    return host_packages_by_id(current()->first_id + i);
}

/* Table i as the package gave it: which entries it has. */
static const LSAHOST_SECPKG_FUNCTION_TABLE *own_table(ULONG i)
{
    return &current()->pkg->tables[i];
}

/* Whether table i unloaded itself: lsahost refuses the calls into it from then on, and
 * a refusal is no finding about the package. */
static BOOL gone(ULONG i)
{
    return package_of(i)->state != HOST_SECPKG_LOADED;
}

static host_token token; /* an output token: too large for the stack */

/* ---- Recording ------------------------------------------------------------------------ */

static void __attribute__((format(printf, 5, 6)))
record(LONG table, const char *call, const char *argument, const char *status,
       const char *fmt, ...)
{
    check_call c = { .dll = run.current, .table = table };
    va_list ap;

    snprintf(c.call, sizeof(c.call), "%s", call);
    snprintf(c.argument, sizeof(c.argument), "%s", argument);
    snprintf(c.status, sizeof(c.status), "%s", status);
    va_start(ap, fmt);
    vsnprintf(c.result, sizeof(c.result), fmt, ap);
    va_end(ap);
    if (run.several)
        fprintf(run.report, "%s%s", current()->short_name, table >= 0 ? " " : ": ");
    if (table >= 0)
        fprintf(run.report, "table %ld: ", table);
    fprintf(run.report, "%s(%s) = %s%s%s\n", c.call, c.argument, c.status,
            c.result[0] ? ": " : "", c.result);
    fflush(run.report);
    if (run.call_count < CALLS_KEPT)
        run.calls[run.call_count++] = c;
}

/* A status as recorded: its name, and its value for the JSON. */
static const char *nt(NTSTATUS status)
{
    return host_status_name(status);
}

static const char *sec(SECURITY_STATUS status)
{
    return host_sec_status_name(status);
}

static void hex(const UCHAR *p, size_t n, char *out, size_t size)
{
    size_t at = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n && at + 3 < size; i++)
        at += (size_t)snprintf(out + at, size - at, "%02x", p[i]);
}

/* ---- SpGetInfo ------------------------------------------------------------------------ */

static void describe_info(ULONG i)
{
    const SecPkgInfoW *info = &current()->pkg->info[i];
    check_table *t = &current()->tables[i];
    char caps[512] = "";
    const char *name_problem = host_wstring_read(info->Name, 1024, t->name, sizeof(t->name));
    const char *comment_problem = host_wstring_read(info->Comment, 1024, t->comment,
                                                    sizeof(t->comment));
    size_t at = 0;

    t->name_ok = !name_problem;
    t->comment_ok = !comment_problem;
    t->capabilities = info->fCapabilities;
    t->max_token = info->cbMaxToken;
    t->version = info->wVersion;
    t->rpc_id = info->wRPCID;
    for (ULONG n = 0; n < 32 && at < sizeof(caps) - 40; n++)
        if (info->fCapabilities & (1ul << n))
            at += (size_t)snprintf(caps + at, sizeof(caps) - at, " %s",
                                   host_capability_name(1ul << n) ? host_capability_name(1ul << n)
                                                                  : "(unknown bit)");
    record((LONG)i, "SpGetInfo", "", nt(STATUS_SUCCESS),
           "Name %s%s%s, Comment %s%s%s, capabilities 0x%08lx%s, version %u, RPC id %u, "
           "max token %lu", name_problem ? "(" : "\"", name_problem ? name_problem : t->name,
           name_problem ? ")" : "\"", comment_problem ? "(" : "\"",
           comment_problem ? comment_problem : t->comment, comment_problem ? ")" : "\"",
           info->fCapabilities, caps, info->wVersion, info->wRPCID, info->cbMaxToken);
}

/* ---- SpGetExtendedInformation --------------------------------------------------------- */

static const struct { ULONG cls; const char *name; } classes[] = {
    { SecpkgGssInfo, "SecpkgGssInfo" },
    { SecpkgContextThunks, "SecpkgContextThunks" },
    { SecpkgMutualAuthLevel, "SecpkgMutualAuthLevel" },
    { SecpkgWowClientDll, "SecpkgWowClientDll" },
    { SecpkgExtraOids, "SecpkgExtraOids" },
    { CHECK_SECPKG_NEGO2_INFO, "SecpkgNego2Info" },
};

/* Most levels, OIDs or bytes lsahost reads from one answer: a count past these is read
 * as far as memory allows, never trusted for a size computation that could wrap. */
#define EXTENDED_COUNT_MAX 4096

/* A count and the items after it, as SECPKG_GSS_INFO (bytes), SECPKG_CONTEXT_THUNKS and
 * SECPKG_EXTRA_OIDS lay them out: the count readable, at most EXTENDED_COUNT_MAX, and
 * every item within readable memory. */
static BOOL counted_array_readable(const ULONG *count, const void *items, size_t item_size,
                                   const char *what, const char *count_name, char *problem,
                                   size_t problem_size)
{
    if (!host_memory_readable(count, sizeof(*count))) {
        snprintf(problem, problem_size, "%s is not readable memory", what);
        return FALSE;
    }
    if (*count > EXTENDED_COUNT_MAX || !host_memory_readable(items, *count * item_size)) {
        snprintf(problem, problem_size, "%s.%s is %lu, past readable memory", what, count_name,
                 *count);
        return FALSE;
    }
    return TRUE;
}

/* What the package answered for one class, read as hostile: its description in text, or
 * what is malformed in problem (empty when nothing is). */
static void read_extended(ULONG cls, const SECPKG_EXTENDED_INFORMATION *x, char *text,
                          size_t size, char *problem, size_t problem_size)
{
    const size_t head = offsetof(SECPKG_EXTENDED_INFORMATION, Info);
    const BYTE *info = (const BYTE *)x + head;
    char bytes[2 * 64 + 1];

    text[0] = problem[0] = '\0';
    if (!host_memory_readable(x, head)) {
        snprintf(problem, problem_size, "the structure at %p is not readable memory",
                 (const void *)x);
        return;
    }
    if ((ULONG)x->Class != cls) {
        snprintf(problem, problem_size, "its Class is %lu, not the %lu asked for",
                 (ULONG)x->Class, cls);
        return;
    }
    switch (cls) {
    case SecpkgGssInfo: {
        const SECPKG_GSS_INFO *g = (const SECPKG_GSS_INFO *)info;
        if (!counted_array_readable(&g->EncodedIdLength, g->EncodedId, 1, "GssInfo",
                                    "EncodedIdLength", problem, problem_size))
            return;
        if (!g->EncodedIdLength) {
            snprintf(problem, problem_size, "GssInfo.EncodedIdLength is 0, an empty OID");
            return;
        }
        hex(g->EncodedId, g->EncodedIdLength < 64 ? g->EncodedIdLength : 64, bytes,
            sizeof(bytes));
        snprintf(text, size, "EncodedId %lu bytes: %s", g->EncodedIdLength, bytes);
        return;
    }
    case SecpkgContextThunks: {
        const SECPKG_CONTEXT_THUNKS *c = (const SECPKG_CONTEXT_THUNKS *)info;
        size_t at;
        if (!counted_array_readable(&c->InfoLevelCount, c->Levels, sizeof(ULONG),
                                    "ContextThunks", "InfoLevelCount", problem, problem_size))
            return;
        at = (size_t)snprintf(text, size, "%lu level(s)", c->InfoLevelCount);
        for (ULONG k = 0; k < c->InfoLevelCount && at < size - 16; k++)
            at += (size_t)snprintf(text + at, size - at, "%s%lu", k ? ", " : ": ", c->Levels[k]);
        return;
    }
    case SecpkgMutualAuthLevel:
        if (!host_memory_readable(info, sizeof(ULONG)))
            snprintf(problem, problem_size, "MutualAuthLevel is not readable memory");
        else
            snprintf(text, size, "MutualAuthLevel %lu",
                     ((const SECPKG_MUTUAL_AUTH_LEVEL *)info)->MutualAuthLevel);
        return;
    case SecpkgWowClientDll: {
        /* SECURITY_STRING has UNICODE_STRING's layout (ntsecpkg.h). */
        const UNICODE_STRING *s =
            (const UNICODE_STRING *)&((const SECPKG_WOW_CLIENT_DLL *)info)->WowClientDllPath;
        char path[3 * MAX_PATH];
        if (host_unicode_check(s, "WowClientDllPath", problem, problem_size) == STATUS_SUCCESS) {
            host_unicode_format(s, path, sizeof(path));
            snprintf(text, size, "WowClientDllPath \"%s\"", path);
        }
        return;
    }
    case SecpkgExtraOids: {
        const SECPKG_EXTRA_OIDS *o = (const SECPKG_EXTRA_OIDS *)info;
        size_t at;
        if (!counted_array_readable(&o->OidCount, o->Oids, sizeof(SECPKG_SERIALIZED_OID),
                                    "ExtraOids", "OidCount", problem, problem_size))
            return;
        at = (size_t)snprintf(text, size, "%lu OID(s)", o->OidCount);
        for (ULONG k = 0; k < o->OidCount; k++) {
            if (o->Oids[k].OidLength > SECPKG_MAX_OID_LENGTH) {
                snprintf(problem, problem_size, "ExtraOids.Oids[%lu].OidLength is %lu, more "
                         "than SECPKG_MAX_OID_LENGTH (%d)", k, o->Oids[k].OidLength,
                         SECPKG_MAX_OID_LENGTH);
                return;
            }
            hex(o->Oids[k].OidValue, o->Oids[k].OidLength, bytes, sizeof(bytes));
            if (at < size - 8)
                at += (size_t)snprintf(text + at, size - at, "%s%s", k ? ", " : ": ", bytes);
        }
        return;
    }
    case CHECK_SECPKG_NEGO2_INFO: {
        const check_nego2_info *n = (const check_nego2_info *)info;
        if (!host_memory_readable(n, sizeof(*n))) {
            snprintf(problem, problem_size, "Nego2Info is not readable memory");
            return;
        }
        hex(n->AuthScheme, sizeof(n->AuthScheme), bytes, sizeof(bytes));
        snprintf(text, size, "AuthScheme %s, PackageFlags 0x%08lx", bytes, n->PackageFlags);
        return;
    }
    }
}

static void check_extended_info(ULONG i)
{
    const host_secpkg *p = package_of(i);
    SpGetExtendedInformationFn *get = host_secpkg_table(p)->GetExtendedInformation;

    if (!own_table(i)->GetExtendedInformation) {
        record((LONG)i, "SpGetExtendedInformation", "", "absent",
               "the table has no GetExtendedInformation");
        return;
    }
    for (size_t k = 0; k < sizeof(classes) / sizeof(classes[0]); k++) {
        PSECPKG_EXTENDED_INFORMATION x = NULL;
        char text[300], problem[300];
        const char *owner;
        NTSTATUS status;

        host_call_begin(p->id, "SpGetExtendedInformation");
        status = get((SECPKG_EXTENDED_INFORMATION_CLASS)classes[k].cls, &x);
        host_call_end();
        host_trace("SpGetExtendedInformation(%s) = %s, %p", classes[k].name, nt(status),
                   (void *)x);
        if (status < 0) { /* NT_SUCCESS: warnings and informational statuses succeed */
            record((LONG)i, "SpGetExtendedInformation", classes[k].name, nt(status),
                   "not given");
            continue;
        }
        if (!x) {
            host_finding(HOST_FINDING_BAD_EXTENDED_INFO, "table %lu: SpGetExtendedInformation"
                         "(%s) returned %s but no structure", i, classes[k].name, nt(status));
            record((LONG)i, "SpGetExtendedInformation", classes[k].name, nt(status),
                   "no structure");
            continue;
        }
        read_extended(classes[k].cls, x, text, sizeof(text), problem, sizeof(problem));
        if (problem[0])
            host_finding(HOST_FINDING_BAD_EXTENDED_INFO, "table %lu: SpGetExtendedInformation"
                         "(%s) returned a malformed answer: %s", i, classes[k].name, problem);
        /* The documentation says only that the package allocates the structure. From the
         * LSA heap, the LSA gives it back; anything else stays the package's. */
        if (host_heap_owns(HOST_HEAP_LSA, x)) {
            host_heap_free(HOST_HEAP_LSA, x);
            owner = "from the LSA heap, freed";
        } else {
            owner = "not from the LSA heap, left to the package";
        }
        record((LONG)i, "SpGetExtendedInformation", classes[k].name, nt(status), "%s (%s)",
               problem[0] ? problem : text, owner);
    }
}

/* ---- Credentials and contexts --------------------------------------------------------- */

static WCHAR target_text[] = L"host/localhost";
static UNICODE_STRING target_name = { sizeof(target_text) - sizeof(WCHAR), sizeof(target_text),
                                      target_text };

/* SpInitLsaModeContext on an outbound credential, then SpDeleteContext of what it made. */
static void check_context(ULONG i, LSA_SEC_HANDLE cred, PUNICODE_STRING target)
{
    const char *argument = target ? "target \"host/localhost\"" : "no target";
    LSA_SEC_HANDLE ctx = 0;
    SecBuffer packed;
    ULONG attributes;
    SECURITY_STATUS status, deleted;

    status = host_sspi_step(package_of(i), FALSE, cred, &ctx,
                            ISC_REQ_CONNECTION | ISC_REQ_MUTUAL_AUTH | ISC_REQ_INTEGRITY |
                                ISC_REQ_CONFIDENTIALITY,
                            target, NULL, NULL, 0, &token, &attributes, &packed);
    /* A mapped context's packed form goes to the client process; here nothing takes it,
     * and the LSA frees its copy. */
    if (packed.pvBuffer)
        host_FreeLsaHeap(packed.pvBuffer);
    record((LONG)i, "SpInitLsaModeContext", argument, sec(status),
           "context %llx, %lu-byte token, attributes 0x%08lx%s", (unsigned long long)ctx,
           token.length, attributes, packed.pvBuffer ? ", mapped" : "");
    if (!ctx)
        return;
    deleted = host_sspi_delete(package_of(i), ctx);
    record((LONG)i, "SpDeleteContext", "", sec(deleted), "context %llx", (unsigned long long)ctx);
    /* A handle that came with a failure need not be a context the package keeps. */
    if (deleted != SEC_E_OK && status >= 0 && own_table(i)->DeleteContext && !gone(i))
        host_finding(HOST_FINDING_CONTEXT_NOT_DELETED, "table %lu: SpDeleteContext of context "
                     "%llx, which SpInitLsaModeContext just made, failed with %s", i,
                     (unsigned long long)ctx, sec(deleted));
}

static void free_credential(ULONG i, LSA_SEC_HANDLE cred, const char *use)
{
    SECURITY_STATUS status;

    if (!own_table(i)->FreeCredentialsHandle) {
        host_finding(HOST_FINDING_CREDENTIAL_NOT_FREED, "table %lu: SpAcquireCredentialsHandle "
                     "(%s) issued credential %llx, but the table has no FreeCredentialsHandle to "
                     "free it with", i, use, (unsigned long long)cred);
        record((LONG)i, "SpFreeCredentialsHandle", use, "absent", "credential %llx",
               (unsigned long long)cred);
        return;
    }
    status = host_sspi_free_credentials(package_of(i), cred);
    record((LONG)i, "SpFreeCredentialsHandle", use, sec(status), "credential %llx",
           (unsigned long long)cred);
    if (status != SEC_E_OK && !gone(i))
        host_finding(HOST_FINDING_CREDENTIAL_NOT_FREED, "table %lu: SpFreeCredentialsHandle of "
                     "credential %llx (%s), which SpAcquireCredentialsHandle just issued, failed "
                     "with %s", i, (unsigned long long)cred, use, sec(status));
}

/* A credential of each use the package claims, with no authentication data: what the
 * package does then is its own decision, and a refusal is an answer, not a finding. A
 * package that claims SECPKG_FLAG_CLIENT_ONLY claims outbound credentials only. */
static void check_credentials(ULONG i)
{
    static const struct { ULONG use; const char *name; } uses[] = {
        { SECPKG_CRED_INBOUND, "SECPKG_CRED_INBOUND" },
        { SECPKG_CRED_OUTBOUND, "SECPKG_CRED_OUTBOUND" },
        { SECPKG_CRED_BOTH, "SECPKG_CRED_BOTH" },
    };
    const LSAHOST_SECPKG_FUNCTION_TABLE *t = own_table(i);

    if (!t->AcquireCredentialsHandle) {
        record((LONG)i, "SpAcquireCredentialsHandle", "", "absent",
               "the table has no AcquireCredentialsHandle: no credential, no context");
        return;
    }
    for (size_t k = 0; k < sizeof(uses) / sizeof(uses[0]); k++) {
        LSA_SEC_HANDLE cred;
        SECURITY_STATUS status;

        if ((current()->pkg->info[i].fCapabilities & SECPKG_FLAG_CLIENT_ONLY) &&
            uses[k].use != SECPKG_CRED_OUTBOUND) {
            record((LONG)i, "SpAcquireCredentialsHandle", uses[k].name, "not called",
                   "the package claims SECPKG_FLAG_CLIENT_ONLY");
            continue;
        }
        status = host_sspi_acquire_use(package_of(i), uses[k].use, NULL, &cred);
        if (status != SEC_E_OK) {
            record((LONG)i, "SpAcquireCredentialsHandle", uses[k].name, sec(status), "%s",
                   gone(i) ? "refused by lsahost: the package unloaded itself"
                           : "refused with no authentication data");
            continue;
        }
        record((LONG)i, "SpAcquireCredentialsHandle", uses[k].name, sec(status),
               "credential %llx", (unsigned long long)cred);
        if (uses[k].use == SECPKG_CRED_OUTBOUND) {
            if (!t->InitLsaModeContext) {
                record((LONG)i, "SpInitLsaModeContext", "", "absent",
                       "the table has no InitLsaModeContext");
            } else {
                check_context(i, cred, NULL);
                check_context(i, cred, &target_name);
            }
        }
        free_credential(i, cred, uses[k].name);
    }
}

/* ---- The run -------------------------------------------------------------------------- */

/* A package that called UnloadPackage during a step: a finding (lsass would take it off
 * its list for the rest of the boot, so an author's CI should see it). lsahost unloads
 * it as in any run (host_unload.c), and the check's later calls into it are refused. */
static void note_unload(ULONG i, const char *step)
{
    if (!gone(i) || current()->unload_noted[i])
        return;
    current()->unload_noted[i] = TRUE;
    host_finding(HOST_FINDING_UNLOADED_ITSELF, "table %lu called UnloadPackage during %s: "
                 "lsass removes it from the list of valid packages until the next boot; the "
                 "check's later calls into it are refused", i, step);
}

/* SpShutdown of each started table of the DLL being checked (last first, as
 * host_packages_unload would). A table that unloaded itself was shut down then. */
static void shut_down(void)
{
    host_package *pkg = current()->pkg;
    NTSTATUS statuses[HOST_MAX_TABLES];
    BOOL before[HOST_MAX_TABLES];

    for (ULONG i = 0; i < pkg->started; i++)
        before[i] = pkg->shut_down[i];
    host_package_shutdown(pkg, statuses);
    for (ULONG i = 0; i < pkg->started; i++)
        if (!pkg->tables[i].Shutdown)
            record((LONG)i, "SpShutdown", "", "absent", "not called");
        else if (before[i])
            record((LONG)i, "SpShutdown", "", "not called", "called when it unloaded itself");
        else
            record((LONG)i, "SpShutdown", "", nt(statuses[i]), "%s", "");
}

static int leak_kinds(const host_account_entry *leaks)
{
    int kinds = 0;
    for (int r = 0; r < HOST_RES_COUNT; r++)
        kinds += leaks[r].live != 0;
    return kinds;
}

/* What the DLL's packages are charged with (with one DLL, everything left: nothing else
 * ran), and, with several, what is charged to none of them. */
static void read_leaks(void)
{
    for (int r = 0; r < HOST_RES_COUNT; r++) {
        host_account_get((host_resource)r, &run.uncharged[r]);
        for (ULONG d = 0; d < run.dll_count; d++) {
            host_account_entry *sum = &run.dlls[d].leaks[r];
            if (!run.several) {
                *sum = run.uncharged[r];
                run.uncharged[r] = (host_account_entry){ 0 };
                continue;
            }
            for (ULONG id = run.dlls[d].first_id; id < run.dlls[d].first_id + run.dlls[d].ids;
                 id++) {
                host_account_entry e;
                host_account_get_package(id, (host_resource)r, &e);
                sum->live += e.live, sum->bytes += e.bytes, sum->total += e.total;
            }
            run.uncharged[r].live -= sum->live;
            run.uncharged[r].bytes -= sum->bytes;
            run.uncharged[r].total -= sum->total;
        }
    }
}

/* Not loadable, failed to start, findings, leaks, clean: the order a DLL's exit status is
 * chosen in, and the order the worst of several is. */
static int severity(int status)
{
    return status == EXIT_NOT_LOADABLE ? 4 : status == EXIT_FAILED ? 3 :
           status == HOST_CHECK_EXIT_FINDINGS ? 2 : status == HOST_CHECK_EXIT_LEAKED ? 1 : 0;
}

static const char *status_text(int status)
{
    return status == EXIT_CLEAN ? "clean" :
           status == EXIT_NOT_LOADABLE ? "not loadable" :
           status == EXIT_FAILED ? "the package failed to start" :
           status == HOST_CHECK_EXIT_FINDINGS ? "findings" : "leaks";
}

static void set_exit_statuses(int allow_leaks)
{
    int uncharged = leak_kinds(run.uncharged) && !allow_leaks ? HOST_CHECK_EXIT_LEAKED : 0;

    run.exit_status = uncharged;
    for (ULONG d = 0; d < run.dll_count; d++) {
        check_dll *dll = &run.dlls[d];
        if (!dll->exit_status)
            dll->exit_status = !dll->started ? EXIT_FAILED :
                               host_finding_count_about(d) ? HOST_CHECK_EXIT_FINDINGS :
                               leak_kinds(dll->leaks) && !allow_leaks ? HOST_CHECK_EXIT_LEAKED :
                               EXIT_CLEAN;
        if (severity(dll->exit_status) > severity(run.exit_status))
            run.exit_status = dll->exit_status;
    }
}

static void print_leaks(const host_account_entry *leaks)
{
    fprintf(run.report, "leaks:%s\n", leak_kinds(leaks) ? "" : " none");
    for (int r = 0; r < HOST_RES_COUNT; r++) {
        const host_account_entry *e = &leaks[r];
        char bytes[40] = "";
        if (!e->live)
            continue;
        if (e->bytes)
            snprintf(bytes, sizeof(bytes), " (%lld bytes)", (long long)e->bytes);
        fprintf(run.report, "  %lld %s%s of %lld acquired\n", (long long)e->live,
                host_resource_name((host_resource)r), bytes, (long long)e->total);
    }
}

/* A DLL's findings and leaks. */
static void print_dll_summary(ULONG d)
{
    size_t count = host_finding_count_about(d), listed = 0;

    fprintf(run.report, "findings: %zu\n", count);
    for (size_t k = 0; k < host_finding_count() && k < HOST_FINDINGS_KEPT; k++) {
        const host_finding_entry *f = host_finding_get(k);
        if (f->dll != d)
            continue;
        listed++;
        fprintf(run.report, "  [%s] %s\n      documented in %s: %s\n", f->kind->name, f->text,
                f->kind->doc, f->kind->url);
    }
    if (count > listed)
        fprintf(run.report, "  (%zu more, printed above but not kept)\n", count - listed);
    print_leaks(run.dlls[d].leaks);
}

static void print_summary(void)
{
    if (!run.several) {
        fprintf(run.report, "\n");
        print_dll_summary(0);
    }
    for (ULONG d = 0; run.several && d < run.dll_count; d++) {
        const check_dll *dll = &run.dlls[d];
        fprintf(run.report, "\n%s", dll->path);
        if (dll->loaded)
            fprintf(run.report, " (package ids %lu to %lu)", dll->first_id,
                    dll->first_id + dll->ids - 1);
        fprintf(run.report, ":\n");
        print_dll_summary(d);
        fprintf(run.report, "status: exit %d (%s)\n", dll->exit_status,
                status_text(dll->exit_status));
    }
    if (run.several) {
        fprintf(run.report, "\nnot charged to a package:\n");
        print_leaks(run.uncharged);
    }
    fprintf(run.report, "result: exit %d (%s%s)\n", run.exit_status,
            status_text(run.exit_status), run.several ? ", the worst of all" : "");
    fflush(run.report);
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void file_sink(void *ctx, const char *bytes, size_t n)
{
    fwrite(bytes, 1, n, (FILE *)ctx);
}

static void member_string(json_writer *w, const char *key, const char *value)
{
    json_key(w, key);
    json_string(w, value);
}

static void member_int(json_writer *w, const char *key, int64_t value)
{
    json_key(w, key);
    json_int(w, value);
}

static void write_tables(json_writer *w, const check_dll *dll)
{
    json_key(w, "tables");
    json_array_begin(w);
    for (ULONG i = 0; i < dll->table_count; i++) {
        const check_table *t = &dll->tables[i];

        json_object_begin(w);
        member_int(w, "index", i);
        member_string(w, "name", t->name_ok ? t->name : NULL);
        member_string(w, "comment", t->comment_ok ? t->comment : NULL);
        member_int(w, "capabilities", t->capabilities);
        json_key(w, "capability_names");
        json_array_begin(w);
        for (ULONG n = 0; n < 32; n++)
            if ((t->capabilities & (1ul << n)) && host_capability_name(1ul << n))
                json_string(w, host_capability_name(1ul << n));
        json_array_end(w);
        member_int(w, "version", t->version);
        member_int(w, "rpc_id", t->rpc_id);
        member_int(w, "max_token", t->max_token);
        json_object_end(w);
    }
    json_array_end(w);
}

static void write_leaks(json_writer *w, const char *key, const host_account_entry *leaks)
{
    json_key(w, key);
    json_array_begin(w);
    for (int r = 0; r < HOST_RES_COUNT; r++) {
        if (!leaks[r].live)
            continue;
        json_object_begin(w);
        member_string(w, "kind", host_resource_name((host_resource)r));
        member_int(w, "live", leaks[r].live);
        member_int(w, "bytes", leaks[r].bytes);
        member_int(w, "acquired", leaks[r].total);
        json_object_end(w);
    }
    json_array_end(w);
}

/* One DLL's report: with one DLL, the whole document. */
static void write_dll(json_writer *w, ULONG d)
{
    const check_dll *dll = &run.dlls[d];

    json_object_begin(w);
    member_string(w, "package", dll->path);
    json_key(w, "loaded");
    json_bool(w, dll->loaded);
    json_key(w, "started");
    json_bool(w, dll->started);
    member_string(w, "error", dll->error[0] ? dll->error : NULL);
    json_key(w, "interface_version");
    if (dll->loaded)
        json_int(w, dll->interface_version);
    else
        json_null(w);
    member_int(w, "entries", dll->entries);
    write_tables(w, dll);
    json_key(w, "calls");
    json_array_begin(w);
    for (size_t k = 0; k < run.call_count; k++) {
        const check_call *c = &run.calls[k];
        if (c->dll != d)
            continue;
        json_object_begin(w);
        json_key(w, "table");
        if (c->table >= 0)
            json_int(w, c->table);
        else
            json_null(w);
        member_string(w, "call", c->call);
        member_string(w, "argument", c->argument);
        member_string(w, "status", c->status);
        member_string(w, "result", c->result);
        json_object_end(w);
    }
    json_array_end(w);
    member_int(w, "finding_count", (int64_t)host_finding_count_about(d));
    json_key(w, "findings");
    json_array_begin(w);
    for (size_t k = 0; k < host_finding_count() && k < HOST_FINDINGS_KEPT; k++) {
        const host_finding_entry *e = host_finding_get(k);
        if (e->dll != d)
            continue;
        json_object_begin(w);
        member_string(w, "name", e->kind->name);
        member_string(w, "text", e->text);
        member_string(w, "doc", e->kind->doc);
        member_string(w, "url", e->kind->url);
        json_object_end(w);
    }
    json_array_end(w);
    write_leaks(w, "leaks", dll->leaks);
    member_int(w, "exit", dll->exit_status);
    json_object_end(w);
}

/* With several DLLs: {"packages": [one report per DLL, in the order named],
 * "leaks_not_charged": [...], "exit": the worst}. */
static void write_json(FILE *f)
{
    json_writer w;

    json_init(&w, file_sink, f);
    if (!run.several) {
        write_dll(&w, 0);
    } else {
        json_object_begin(&w);
        json_key(&w, "packages");
        json_array_begin(&w);
        for (ULONG d = 0; d < run.dll_count; d++)
            write_dll(&w, d);
        json_array_end(&w);
        write_leaks(&w, "leaks_not_charged", run.uncharged);
        member_int(&w, "exit", run.exit_status);
        json_object_end(&w);
    }
    if (json_finish(&w) != 0)
        host_say("check: the JSON report is incomplete (a writer error)");
}

/* ---- The command ---------------------------------------------------------------------- */

static const char usage[] = "usage: lsahost [options] check PKG.dll [PKG.dll ...] "
                            "[--json[=FILE]]\n";

/* The steps after the start, for each started table of the DLL being checked. */
static void check_tables(void)
{
    for (ULONG i = 0; i < current()->table_count; i++) {
        note_unload(i, "its start");
        describe_info(i);
        check_extended_info(i);
        note_unload(i, "SpGetExtendedInformation");
        check_credentials(i);
        note_unload(i, "the credential and context calls");
    }
}

/* What became of DLL d in the load and the start; then, when it started, the steps. */
static void check_dll_steps(ULONG d, const host_dll_result *result)
{
    check_dll *dll = &run.dlls[d];
    host_package *pkg = result->dll;

    run.current = d;
    host_finding_about(d);
    if (!pkg) {
        host_say("%s%scannot load package: %s", run.several ? dll->short_name : "",
                 run.several ? ": " : "", result->why);
        snprintf(dll->error, sizeof(dll->error), "cannot load package: %s", result->why);
        dll->exit_status = EXIT_NOT_LOADABLE;
        return;
    }
    dll->pkg = pkg;
    dll->loaded = TRUE;
    dll->interface_version = pkg->version;
    dll->entries = pkg->entries;
    dll->first_id = pkg->first_id;
    dll->ids = pkg->table_count;
    record(-1, "SpLsaModeInitialize", "SECPKG_INTERFACE_VERSION", nt(STATUS_SUCCESS),
           "interface version 0x%lx, %lu table(s), %lu entries each", pkg->version,
           pkg->table_count, pkg->entries);
    if (result->status) {
        host_say("%s%spackage failed: %s", run.several ? dll->short_name : "",
                 run.several ? ": " : "", result->why);
        snprintf(dll->error, sizeof(dll->error), "package failed: %s", result->why);
        return;
    }
    dll->started = TRUE;
    dll->table_count = pkg->started;
    check_tables();
}

int host_check_command(int argc, WCHAR **argv, int allow_leaks, host_check_leak_report report)
{
    const WCHAR *paths[HOST_MAX_DLLS], *json_path = NULL;
    host_dll_result results[HOST_MAX_DLLS];
    ULONG count = 0;
    BOOL json = FALSE;
    FILE *json_file = NULL;

    for (int k = 1; k < argc; k++) {
        if (!wcscmp(argv[k], L"--json"))
            json = TRUE;
        else if (!wcsncmp(argv[k], L"--json=", 7) && argv[k][7])
            json = TRUE, json_path = argv[k] + 7;
        else if (argv[k][0] != L'-' && count < HOST_MAX_DLLS)
            paths[count++] = argv[k];
        else if (argv[k][0] != L'-') {
            fprintf(stderr, "lsahost: check: at most %d package DLLs ('%ls' is one more)\n%s",
                    HOST_MAX_DLLS, argv[k], usage);
            return EXIT_USAGE;
        } else {
            fprintf(stderr, "lsahost: check: unexpected argument '%ls'\n%s", argv[k], usage);
            return EXIT_USAGE;
        }
    }
    if (!count) {
        fprintf(stderr, "lsahost: check: which package?\n%s", usage);
        return EXIT_USAGE;
    }
    if (json_path && !(json_file = _wfopen(json_path, L"wb"))) {
        fprintf(stderr, "lsahost: check: cannot write the JSON report to '%ls'\n", json_path);
        return EXIT_USAGE;
    }
    run.report = json && !json_path ? stderr : stdout;
    run.dll_count = count;
    run.several = count > 1;
    for (ULONG d = 0; d < count; d++) {
        check_dll *dll = &run.dlls[d];
        const char *slash;
        if (!WideCharToMultiByte(CP_UTF8, 0, paths[d], -1, dll->path, sizeof(dll->path), NULL,
                                 NULL))
            snprintf(dll->path, sizeof(dll->path), "(a path too long to show)");
        slash = strrchr(dll->path, '\\') > strrchr(dll->path, '/') ? strrchr(dll->path, '\\')
                                                                    : strrchr(dll->path, '/');
        dll->short_name = slash ? slash + 1 : dll->path;
        fprintf(run.report, "lsahost check: %s\n", dll->path);
    }

    /* As lsass loads its list: every DLL loaded and started in order, one that cannot be
     * loaded or fails to start leaving the others to run. */
    host_packages_load_each(paths, count, results);
    for (ULONG d = 0; d < count; d++)
        check_dll_steps(d, &results[d]);
    for (ULONG d = count; d-- > 0;) {
        run.current = d;
        if (run.dlls[d].pkg)
            shut_down();
    }
    host_packages_unload();
    for (ULONG d = 0; d < count; d++)
        run.dlls[d].pkg = NULL;

    /* Tokens the packages still hold are found by a sweep; then the account is read
     * before the leak report releases everything. */
    host_tokens_sweep();
    read_leaks();
    if (!report())
        host_say("no leaks");

    set_exit_statuses(allow_leaks);
    print_summary();
    if (json) {
        write_json(json_file ? json_file : stdout);
        if (json_file && fclose(json_file) != 0)
            host_say("check: writing '%ls' failed", json_path);
        fflush(stdout);
    }
    return run.exit_status;
}
