// Reference outputs of face-api 1.7.15's SsdMobilenetv1, computed by the package's own code (dist/face-api.node-wasm.js,
// tfjs 4.22.0, wasm backend). See README.md next to this file for the command.
//
// Usage: node make-reference.cjs <face-api package dir> <decoded rgb dir> <output json>
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const [packageDir, rgbDir, outFile] = process.argv.slice(2);
const faceapi = require(path.join(packageDir, 'dist', 'face-api.node-wasm.js'));
const tf = faceapi.tf;

// Every 41st anchor (all six feature maps are covered) plus the best-scoring ones.
const SAMPLE_STRIDE = 41;
const TOP_ANCHORS = 25;

// Shortest decimal that parses back to the same float32.
function f32(value) {
  const target = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = target.toPrecision(digits);
    if (Math.fround(Number(text)) === target) return Number(text);
  }
  return target;
}

// A deterministic non-photo image, rebuilt bit for bit by the C# tests (SsdReference.SyntheticImage).
function syntheticImage(width, height) {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++)
        pixels[(y * width + x) * 3 + c] = (x * 7 + y * 13 + c * 85 + Math.floor((x * y) / 8)) % 256;
  return pixels;
}

function loadNet() {
  const manifestPath = path.join(packageDir, 'model', 'ssd_mobilenetv1_model-weights_manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const specs = manifest.flatMap((group) => group.weights);
  const bytes = Buffer.concat(manifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(path.dirname(manifestPath), p)))));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const net = new faceapi.SsdMobilenetv1();
  net.loadFromWeightMap(tf.io.decodeWeights(buffer, specs));
  return net;
}

function stats(values) {
  let sum = 0; let sumAbs = 0; let min = Infinity; let max = -Infinity;
  for (const v of values) { sum += v; sumAbs += Math.abs(v); min = Math.min(min, v); max = Math.max(max, v); }
  return { sum, sumAbs, min: f32(min), max: f32(max) };
}

function detections(list) {
  return list.map((d) => ({ score: d.score, x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }));
}

async function describe(net, name, width, height, pixels) {
  const image = tf.tensor3d(pixels, [height, width, 3], 'int32');
  const input = await faceapi.toNetInput(image);
  const { boxes: boxesByBatch, scores: scoresByBatch } = net.forwardInput(input);
  const boxes = boxesByBatch[0].dataSync();
  const scores = scoresByBatch[0].dataSync();
  const anchors = scores.length;
  const batch = tf.tidy(() => input.toBatchTensor(512, false));
  const netInput = batch.dataSync();
  batch.dispose();

  const sampled = new Set();
  for (let i = 0; i < anchors; i += SAMPLE_STRIDE) sampled.add(i);
  Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]).slice(0, TOP_ANCHORS).forEach((i) => sampled.add(i));
  const column = (k) => Array.from({ length: anchors }, (_, i) => (k < 4 ? boxes[4 * i + k] : scores[i]));

  const record = {
    name,
    width,
    height,
    rgbSha256: crypto.createHash('sha256').update(pixels).digest('hex'),
    netInputStats: stats(netInput),
    anchorCount: anchors,
    // Per anchor: top, left, bottom, right (relative to the 512x512 padded input), face score.
    outputColumnStats: [0, 1, 2, 3, 4].map((k) => stats(column(k))),
    sampledAnchors: Array.from(sampled).sort((a, b) => a - b).map((i) => ({
      index: i,
      values: [boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], scores[i]].map(f32),
    })),
    detections: detections(await net.locateFaces(input, { minConfidence: 0.5 })),
    // A low threshold, so that NMS (IoU 0.5) actually suppresses boxes, and maxResults actually truncates.
    detectionsMinConfidence01: detections(await net.locateFaces(input, { minConfidence: 0.1 })),
    detectionsMinConfidence01MaxResults3: detections(await net.locateFaces(input, { minConfidence: 0.1, maxResults: 3 })),
  };
  boxesByBatch.forEach((t) => t.dispose());
  scoresByBatch.forEach((t) => t.dispose());
  image.dispose();
  return record;
}

(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const net = loadNet();
  const cases = [];
  for (let k = 1; k <= 6; k++) {
    const { width, height } = JSON.parse(fs.readFileSync(path.join(rgbDir, `sample${k}.json`), 'utf8'));
    cases.push(await describe(net, `sample${k}`, width, height, new Uint8Array(fs.readFileSync(path.join(rgbDir, `sample${k}.rgb`)))));
  }
  cases.push(await describe(net, 'synthetic300x200', 300, 200, syntheticImage(300, 200)));
  cases.push(await describe(net, 'synthetic180x260', 180, 260, syntheticImage(180, 260)));

  const reference = {
    producedBy: `face-api ${faceapi.version} dist/face-api.node-wasm.js, tfjs ${tf.version_core} (${tf.getBackend()} backend), Node ${process.version}`,
    inputSize: 512,
    sampleStride: SAMPLE_STRIDE,
    topAnchors: TOP_ANCHORS,
    cases,
  };
  fs.writeFileSync(outFile, JSON.stringify(reference) + '\n');
  for (const c of cases) console.log(`${c.name}: ${c.detections.length} faces at 0.5, ${c.detectionsMinConfidence01.length} at 0.1, ${c.sampledAnchors.length} anchors recorded`);
})();
