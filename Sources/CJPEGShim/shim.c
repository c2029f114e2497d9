#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "CJPEGShim.h"

// MARK: - Errors

// libjpeg's error manager extended with the jump back into the shim function that owns it.
typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    digit_jpeg_status status;
    // Set once the source ran out of data (libjpeg then reads a fake end-of-image marker).
    int saw_end_of_data;
} shim_errors;

static void fail(j_common_ptr cinfo, digit_jpeg_status status) {
    shim_errors *errors = (shim_errors *)cinfo->err;
    errors->status = status;
    longjmp(errors->jump, 1);
}

// error_exit must not return; it jumps back into the shim function that set it up. An error
// after the data ran out is a cut file, whatever libjpeg then stumbled on.
static void jump_on_error(j_common_ptr cinfo) {
    shim_errors *errors = (shim_errors *)cinfo->err;
    fail(cinfo, errors->saw_end_of_data ? DIGIT_JPEG_TRUNCATED : DIGIT_JPEG_LIBJPEG_ERROR);
}

// Warnings are not printed. Running out of data alone is no error: a file missing only its
// end-of-image marker holds the whole picture. An entropy-coded segment ending before the
// picture does (JWRN_HIT_MARKER: the data ran out or a marker cut it) is fatal: libjpeg would
// pad the rest with gray, and a half-gray photo can hold a false digit. Other corrupt-data
// warnings (stray bytes before a marker, which some cameras write) leave a picture worth reading.
static void handle_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    shim_errors *errors = (shim_errors *)cinfo->err;
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) errors->saw_end_of_data = 1;
    if (cinfo->err->msg_code == JWRN_HIT_MARKER) fail(cinfo, DIGIT_JPEG_TRUNCATED);
}

static void print_nothing(j_common_ptr cinfo) { (void)cinfo; }

static struct jpeg_error_mgr *install_errors(shim_errors *errors) {
    jpeg_std_error(&errors->manager);
    errors->manager.error_exit = jump_on_error;
    errors->manager.emit_message = handle_message;
    errors->manager.output_message = print_nothing;
    errors->status = DIGIT_JPEG_OK;
    errors->saw_end_of_data = 0;
    return &errors->manager;
}

// libjpeg's message for a libjpeg error; empty for the shim's own statuses, which Swift words.
static void describe(j_common_ptr cinfo, const shim_errors *errors, char message[DIGIT_JPEG_MESSAGE_CAPACITY]) {
    message[0] = 0;
    if (errors->status == DIGIT_JPEG_LIBJPEG_ERROR) cinfo->err->format_message(cinfo, message);
}

// MARK: - Decoding

static void limit_scans(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr decompressor = (j_decompress_ptr)cinfo;
    if (decompressor->progressive_mode && decompressor->input_scan_number > DIGIT_JPEG_MAX_SCANS) {
        fail(cinfo, DIGIT_JPEG_TOO_MANY_SCANS);
    }
}

static digit_jpeg_colour colour_of(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return DIGIT_JPEG_COLOUR_GRAY;
    case JCS_RGB: return DIGIT_JPEG_COLOUR_RGB;
    case JCS_YCbCr: return DIGIT_JPEG_COLOUR_YCBCR;
    case JCS_CMYK: return DIGIT_JPEG_COLOUR_CMYK;
    case JCS_YCCK: return DIGIT_JPEG_COLOUR_YCCK;
    default: return DIGIT_JPEG_COLOUR_UNKNOWN;
    }
}

static void fill_info(j_decompress_ptr cinfo, digit_jpeg_info *info) {
    info->width = cinfo->image_width;
    info->height = cinfo->image_height;
    info->components = cinfo->num_components;
    info->colour = colour_of(cinfo->jpeg_color_space);
    info->progressive = cinfo->progressive_mode;
    info->arithmetic = cinfo->arith_code;
    info->precision = cinfo->data_precision;
}

// Sets up `cinfo` on `data` and reads the headers; errors jump to the caller's setjmp.
static void start_reading(j_decompress_ptr cinfo, struct jpeg_progress_mgr *progress, const unsigned char *data,
                          size_t size, size_t max_memory, digit_jpeg_info *info) {
    jpeg_create_decompress(cinfo);
    cinfo->mem->max_memory_to_use = (long)max_memory;
    progress->progress_monitor = limit_scans;
    cinfo->progress = progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    fill_info(cinfo, info);
}

digit_jpeg_status digit_jpeg_read_info(const unsigned char *data, size_t size, digit_jpeg_info *info,
                                       char message[DIGIT_JPEG_MESSAGE_CAPACITY]) {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    shim_errors errors;
    memset(&cinfo, 0, sizeof cinfo);
    memset(info, 0, sizeof *info);
    cinfo.err = install_errors(&errors);
    if (setjmp(errors.jump)) {
        describe((j_common_ptr)&cinfo, &errors, message);
        jpeg_destroy_decompress(&cinfo);
        return errors.status;
    }
    start_reading(&cinfo, &progress, data, size, 0, info);
    jpeg_destroy_decompress(&cinfo);
    message[0] = 0;
    return DIGIT_JPEG_OK;
}

// The luma of the light CMYK inks leave, from libjpeg's CMYK samples. Adobe files (the ones
// with an Adobe marker: Photoshop's and ImageMagick's) store 255 for no ink.
static void cmyk_row_to_gray(const unsigned char *cmyk, unsigned char *gray, size_t width, int adobe_inverted) {
    for (size_t x = 0; x < width; x++, cmyk += 4) {
        unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
        if (!adobe_inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        unsigned r = c * k, g = m * k, b = y * k;  // each 0...255 * 255
        gray[x] = (unsigned char)((299 * r + 587 * g + 114 * b + 127500) / 255000);
    }
}

// The N of the N/8 scale: the smallest that keeps the longer side at least `min_longer_side`.
static unsigned scale_eighths(uint32_t width, uint32_t height, uint32_t min_longer_side) {
    if (min_longer_side == 0) return 8;
    uint64_t longer = width > height ? width : height;
    for (unsigned eighths = 1; eighths < 8; eighths++) {
        if ((longer * eighths + 7) / 8 >= min_longer_side) return eighths;
    }
    return 8;
}

digit_jpeg_status digit_jpeg_decode_gray(const unsigned char *data, size_t size, uint64_t max_pixels,
                                         uint32_t min_longer_side, size_t max_memory,
                                         unsigned char **pixels, uint32_t *width, uint32_t *height,
                                         digit_jpeg_info *info, char message[DIGIT_JPEG_MESSAGE_CAPACITY]) {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    shim_errors errors;
    // volatile: assigned after setjmp and freed after the jump back.
    unsigned char *volatile output = NULL;
    unsigned char *volatile cmyk_row = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    memset(info, 0, sizeof *info);
    cinfo.err = install_errors(&errors);
    if (setjmp(errors.jump)) {
        describe((j_common_ptr)&cinfo, &errors, message);
        jpeg_destroy_decompress(&cinfo);
        free(output);
        free(cmyk_row);
        return errors.status;
    }
    start_reading(&cinfo, &progress, data, size, max_memory, info);
    if ((uint64_t)cinfo.image_width * cinfo.image_height > max_pixels) {
        fail((j_common_ptr)&cinfo, DIGIT_JPEG_TOO_MANY_PIXELS);
    }
    int is_cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = is_cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    cinfo.scale_num = scale_eighths(cinfo.image_width, cinfo.image_height, min_longer_side);
    cinfo.scale_denom = 8;
    jpeg_start_decompress(&cinfo);

    size_t out_width = cinfo.output_width, out_height = cinfo.output_height;
    output = malloc(out_width * out_height);
    if (output == NULL) fail((j_common_ptr)&cinfo, DIGIT_JPEG_OUT_OF_MEMORY);
    if (is_cmyk) {
        cmyk_row = malloc(4 * out_width);
        if (cmyk_row == NULL) fail((j_common_ptr)&cinfo, DIGIT_JPEG_OUT_OF_MEMORY);
    }
    while (cinfo.output_scanline < out_height) {
        unsigned char *gray_row = output + (size_t)cinfo.output_scanline * out_width;
        JSAMPROW row = is_cmyk ? cmyk_row : gray_row;
        // A memory source never suspends, so no rows means libjpeg found no more data.
        if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) fail((j_common_ptr)&cinfo, DIGIT_JPEG_TRUNCATED);
        if (is_cmyk) cmyk_row_to_gray(cmyk_row, gray_row, out_width, cinfo.saw_Adobe_marker);
    }
    // Not jpeg_finish_decompress: whatever follows the last row (trailing bytes, a damaged
    // EOI) cannot change the picture.
    jpeg_destroy_decompress(&cinfo);
    free(cmyk_row);
    *pixels = output;
    *width = (uint32_t)out_width;
    *height = (uint32_t)out_height;
    message[0] = 0;
    return DIGIT_JPEG_OK;
}

// MARK: - Encoding

// A destination that grows its malloc'd buffer by doubling; the shim frees it on failure.
typedef struct {
    struct jpeg_destination_mgr manager;
    unsigned char *buffer;
    size_t capacity;
} growing_destination;

static void start_destination(j_compress_ptr cinfo) {
    growing_destination *destination = (growing_destination *)cinfo->dest;
    destination->capacity = 1 << 16;
    destination->buffer = malloc(destination->capacity);
    if (destination->buffer == NULL) fail((j_common_ptr)cinfo, DIGIT_JPEG_OUT_OF_MEMORY);
    destination->manager.next_output_byte = destination->buffer;
    destination->manager.free_in_buffer = destination->capacity;
}

static boolean grow_destination(j_compress_ptr cinfo) {
    growing_destination *destination = (growing_destination *)cinfo->dest;
    unsigned char *larger = realloc(destination->buffer, 2 * destination->capacity);
    if (larger == NULL) fail((j_common_ptr)cinfo, DIGIT_JPEG_OUT_OF_MEMORY);
    destination->buffer = larger;
    // libjpeg calls this only when the buffer is full.
    destination->manager.next_output_byte = larger + destination->capacity;
    destination->manager.free_in_buffer = destination->capacity;
    destination->capacity *= 2;
    return TRUE;
}

static void finish_destination(j_compress_ptr cinfo) { (void)cinfo; }

digit_jpeg_status digit_jpeg_encode(const unsigned char *pixels, uint32_t width, uint32_t height,
                                    const digit_jpeg_encode_options *options, unsigned char **jpeg,
                                    size_t *jpeg_size, char message[DIGIT_JPEG_MESSAGE_CAPACITY]) {
    J_COLOR_SPACE input_space;
    switch (options->input_components) {
    case 1: input_space = JCS_GRAYSCALE; break;
    case 3: input_space = JCS_RGB; break;
    case 4: input_space = JCS_CMYK; break;
    default:
        snprintf(message, DIGIT_JPEG_MESSAGE_CAPACITY, "%d components per pixel, not 1, 3 or 4",
                 options->input_components);
        return DIGIT_JPEG_LIBJPEG_ERROR;
    }
    struct jpeg_compress_struct cinfo;
    shim_errors errors;
    growing_destination destination;
    memset(&cinfo, 0, sizeof cinfo);
    memset(&destination, 0, sizeof destination);
    cinfo.err = install_errors(&errors);
    if (setjmp(errors.jump)) {
        describe((j_common_ptr)&cinfo, &errors, message);
        jpeg_destroy_compress(&cinfo);
        free(destination.buffer);
        return errors.status;
    }
    jpeg_create_compress(&cinfo);
    destination.manager.init_destination = start_destination;
    destination.manager.empty_output_buffer = grow_destination;
    destination.manager.term_destination = finish_destination;
    cinfo.dest = &destination.manager;

    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = options->input_components;
    cinfo.in_color_space = input_space;
    jpeg_set_defaults(&cinfo);
    if (options->keep_colour_space) {
        jpeg_set_colorspace(&cinfo, input_space);
    } else if (input_space == JCS_CMYK) {
        jpeg_set_colorspace(&cinfo, JCS_YCCK);
    }
    jpeg_set_quality(&cinfo, options->quality, TRUE);
    if (options->progressive) jpeg_simple_progression(&cinfo);
    cinfo.arith_code = options->arithmetic ? TRUE : FALSE;

    jpeg_start_compress(&cinfo, TRUE);
    if (options->app1 != NULL) {
        jpeg_write_marker(&cinfo, JPEG_APP0 + 1, options->app1, (unsigned int)options->app1_size);
    }
    size_t row_bytes = (size_t)width * (size_t)options->input_components;
    while (cinfo.next_scanline < cinfo.image_height) {
        // libjpeg only reads the row; its API just lacks the const.
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row_bytes);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    *jpeg = destination.buffer;
    *jpeg_size = destination.capacity - destination.manager.free_in_buffer;
    jpeg_destroy_compress(&cinfo);
    message[0] = 0;
    return DIGIT_JPEG_OK;
}

void digit_jpeg_free(unsigned char *buffer) { free(buffer); }
