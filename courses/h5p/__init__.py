"""Interactive lessons from H5P packages: a .h5p file checked safely and unpacked into media
storage (package), its files served to those who may open the lesson and its xAPI completion
statements recorded as evidence (views). The page plays it with the vendored h5p-standalone
(static/vendor/h5p-standalone/), which needs the package's own copy of every H5P library it
uses: export the content with its libraries (docs/courses.md)."""
