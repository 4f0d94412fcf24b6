// Prints width, height and the SHA-256 of jpeg-js 0.4.4's RGB decode (formatAsRGBA: false) of each JPEG given.
// Usage: npm pack jpeg-js@0.4.4 && tar xzf jpeg-js-0.4.4.tgz && node record-jpegjs.js package/lib/decoder.js *.jpg
const crypto = require('crypto');
const fs = require('fs');
const [decoderPath, ...files] = process.argv.slice(2);
const decode = require(require('path').resolve(decoderPath));
for (const file of files) {
  try {
    const image = decode(fs.readFileSync(file), { formatAsRGBA: false });
    console.log(file, image.width, image.height, crypto.createHash('sha256').update(image.data).digest('hex'));
  } catch (e) {
    console.log(file, 'ERROR', e.message);
  }
}
