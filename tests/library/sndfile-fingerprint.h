/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A fingerprint made by a decoding of its own, with libsndfile: what the
 * fingerprints that the indexer makes of its analysis' decoding are
 * checked against. */
#pragma once

#include <glib.h>

/* The fingerprint of @path's first SEMBLANCE_FINGERPRINT_SECONDS (asserting
 * that libsndfile reads it and Chromaprint loads); NULL when it is too
 * short for one. */
guint32 *sndfile_fingerprint (const char *path, guint *n_items);
