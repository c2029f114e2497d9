#ifndef CJPEGSHIM_H
#define CJPEGSHIM_H

// A setjmp-owning wrapper around libjpeg for Swift.
//
// libjpeg reports a fatal error by calling the error manager's error_exit, which must not
// return. Every function here installs an error_exit that longjmps back into the same
// function (never across a caller's frame), frees what libjpeg and the shim allocated,
// and returns a status with libjpeg's one-line message. libjpeg never prints and never
// calls exit.

#include <stddef.h>
#include <stdint.h>

/// Bytes a message buffer needs (libjpeg's JMSG_LENGTH_MAX), including the NUL.
#define DIGIT_JPEG_MESSAGE_CAPACITY 200

typedef enum {
    DIGIT_JPEG_OK = 0,
    /// libjpeg refused the data or the parameters; the message holds its words.
    DIGIT_JPEG_LIBJPEG_ERROR = 1,
    /// The header declares more pixels than `max_pixels`; the info holds the size.
    DIGIT_JPEG_TOO_MANY_PIXELS = 2,
    /// The data (or an entropy-coded segment, cut by a marker) ends before the picture does.
    DIGIT_JPEG_TRUNCATED = 3,
    /// A progressive file has more than DIGIT_JPEG_MAX_SCANS scans.
    DIGIT_JPEG_TOO_MANY_SCANS = 4,
    /// malloc failed for the output.
    DIGIT_JPEG_OUT_OF_MEMORY = 5,
} digit_jpeg_status;

/// Scans a progressive file may have. Encoders write about ten; each scan costs a pass over
/// every block, so a hostile file of thousands of tiny scans would otherwise take minutes.
#define DIGIT_JPEG_MAX_SCANS 100

/// How the file stores its colour (libjpeg's guess from the JFIF/Adobe markers).
typedef enum {
    DIGIT_JPEG_COLOUR_UNKNOWN = 0,
    DIGIT_JPEG_COLOUR_GRAY = 1,
    DIGIT_JPEG_COLOUR_RGB = 2,
    DIGIT_JPEG_COLOUR_YCBCR = 3,
    DIGIT_JPEG_COLOUR_CMYK = 4,
    DIGIT_JPEG_COLOUR_YCCK = 5,
} digit_jpeg_colour;

/// What the frame header says.
typedef struct {
    /// Full-size dimensions in pixels.
    uint32_t width, height;
    int components;
    digit_jpeg_colour colour;
    /// Nonzero for a progressive file.
    int progressive;
    /// Nonzero when the entropy coding is arithmetic rather than Huffman.
    int arithmetic;
    /// Bits per sample (8; libjpeg refuses others while reading the header).
    int precision;
} digit_jpeg_info;

/// Reads the headers up to the first scan. Returns DIGIT_JPEG_OK with `info` filled, or an
/// error status with `message` set.
digit_jpeg_status digit_jpeg_read_info(const unsigned char *data, size_t size, digit_jpeg_info *info,
                                       char message[DIGIT_JPEG_MESSAGE_CAPACITY]);

/// Decodes to 8-bit gray (0 black, 255 white), row-major, no padding.
///
/// Gray and YCbCr files give their luma; RGB files libjpeg's luma of R, G, B; CMYK and YCCK
/// files (Adobe-inverted when an Adobe marker says so, as Photoshop writes them) the luma of
/// the colour the inks leave. The picture is downscaled while decoding by N/8, N the
/// smallest of 1...8 that keeps the longer side at least `min_longer_side` pixels (0: full
/// size). Refuses more than `max_pixels` full-size pixels before allocating anything, and
/// caps libjpeg's own working memory at `max_memory` bytes (0: no cap).
///
/// On DIGIT_JPEG_OK, `*pixels` holds `*width * *height` bytes from malloc, to be released
/// with digit_jpeg_free. On any other status nothing needs freeing and `message` is set;
/// `info` is filled as far as the header was read.
digit_jpeg_status digit_jpeg_decode_gray(const unsigned char *data, size_t size, uint64_t max_pixels,
                                         uint32_t min_longer_side, size_t max_memory,
                                         unsigned char **pixels, uint32_t *width, uint32_t *height,
                                         digit_jpeg_info *info, char message[DIGIT_JPEG_MESSAGE_CAPACITY]);

/// How `digit_jpeg_encode` stores the picture.
typedef struct {
    /// 1 (gray), 3 (RGB) or 4 (CMYK, Adobe-inverted: 255 is no ink) bytes per input pixel.
    int input_components;
    /// 1...100.
    int quality;
    /// Nonzero: progressive scans.
    int progressive;
    /// Nonzero: arithmetic coding instead of Huffman.
    int arithmetic;
    /// Nonzero: store RGB as RGB and CMYK as CMYK; zero: as YCbCr and YCCK. Ignored for gray.
    int keep_colour_space;
    /// When non-NULL, written as an APP1 segment right after the JFIF/Adobe marker (at most
    /// 65533 bytes, e.g. "Exif\0\0" and a TIFF block).
    const unsigned char *app1;
    size_t app1_size;
} digit_jpeg_encode_options;

/// Encodes `width` x `height` pixels as a JPEG. On DIGIT_JPEG_OK, `*jpeg` holds `*jpeg_size`
/// bytes from malloc, to be released with digit_jpeg_free; otherwise nothing needs freeing
/// and `message` is set.
digit_jpeg_status digit_jpeg_encode(const unsigned char *pixels, uint32_t width, uint32_t height,
                                    const digit_jpeg_encode_options *options, unsigned char **jpeg,
                                    size_t *jpeg_size, char message[DIGIT_JPEG_MESSAGE_CAPACITY]);

/// Releases a buffer the shim returned.
void digit_jpeg_free(unsigned char *buffer);

#endif
