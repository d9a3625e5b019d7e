/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Semblance engine: include this one header. */
#pragma once

#include "semblance-analyzer.h"
#include "semblance-catalog.h"
#include "semblance-collect.h"
#include "semblance-describe.h"
#include "semblance-embedder.h"
#include "semblance-error.h"
#include "semblance-extractor.h"
#include "semblance-file.h"
#include "semblance-indexer.h"
#include "semblance-key.h"
#include "semblance-layout.h"
#include "semblance-library.h"
#include "semblance-metrics.h"
#include "semblance-model.h"
#include "semblance-network.h"
#include "semblance-semantic-table.h"
#include "semblance-store.h"
#include "semblance-tags.h"
#include "semblance-text.h"
#include "semblance-train.h"
#include "semblance-vocab.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceExtractor, semblance_extractor_free)
