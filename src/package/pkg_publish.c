/* pkg_publish.c - what the package publishes in the LSA's shared memory: one section
 * (LSA_CREATE_SHARED_MEMORY; few sections, as the LSA asks) holding the status block
 * declared in include/sspkg.h.
 *
 * Clients can write the section, so the package only ever writes here: nothing it
 * reads back from shared memory decides anything. */
#include "pkg.h"
#include "../../include/sspkg.h"

#include <string.h>

static PVOID section;
static SSPKG_STATUS_BLOCK *status_block;

void pkg_publish_start(void)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = pkg.lsa;
    FILETIME now;

    if (!lsa)
        return;
    section = lsa->CreateSharedMemory(SSPKG_SECTION_MAX_SIZE, SSPKG_SECTION_INITIAL_SIZE);
    if (!section)
        return;
    status_block = lsa->AllocateSharedMemory(section, sizeof(*status_block));
    if (!status_block) {
        lsa->DeleteSharedMemory(section);
        section = NULL;
        return;
    }
    GetSystemTimeAsFileTime(&now);
    memset(status_block, 0, sizeof(*status_block));
    status_block->Magic = SSPKG_STATUS_MAGIC;
    status_block->LayoutVersion = SSPKG_STATUS_LAYOUT_VERSION;
    status_block->Size = sizeof(*status_block);
    status_block->PackageVersion = SSPKG_VERSION;
    status_block->StartTime = ((uint64_t)now.dwHighDateTime << 32) | now.dwLowDateTime;
}

void pkg_publish_stop(void)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = pkg.lsa;

    if (!lsa || !section)
        return;
    lsa->FreeSharedMemory(section, status_block);
    lsa->DeleteSharedMemory(section);
    status_block = NULL;
    section = NULL;
}
