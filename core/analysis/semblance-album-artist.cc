/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-album-artist.h"

#include <taglib/fileref.h>
#include <taglib/tfilestream.h>
#include <taglib/tpropertymap.h>
#include <unistd.h>

extern "C" __attribute__ ((visibility ("default"))) char *
semblance_taglib_read_album_artist (int fd);

char *
semblance_taglib_read_album_artist (int fd)
{
  /* The stream closes the duplicate it is given when it goes. */
  int copy = dup (fd);

  if (copy < 0)
    return NULL;
  /* TagLib reports bad files by a null reference, not by exceptions; the
   * catch keeps an allocation failure from unwinding into C. */
  try {
    TagLib::FileStream stream (copy, true);
    TagLib::PropertyMap properties;
    TagLib::PropertyMap::ConstIterator found;

    if (!stream.isOpen ()) {
      close (copy);
      return NULL;
    }
    /* The type by content: the stream has no name to go by. */
    TagLib::FileRef ref (&stream, false);
    if (ref.isNull ())
      return NULL;
    properties = ref.file ()->properties ();
    found = properties.find ("ALBUMARTIST");
    if (found == properties.end () || found->second.isEmpty ()
        || found->second.front ().isEmpty ())
      return NULL;
    return g_strdup (found->second.front ().toCString (true));
  } catch (...) {
    return NULL;
  }
}
