/**
 * The face crop new CNN runs are trained with (CnnConfig.cropMargin, cropShiftY; --cropMargin to change it): how
 * much context the crop keeps around the detector's box (CropSpec.margin). From then on the run's config carries it:
 * evaluation crops with it (training/config/crop-spec.ts), export copies it into the manifest, and the app crops
 * live faces with what the manifest says.
 *
 * Measured with the app's own detector (MediaPipe FaceDetector, face_detector.tflite, score >= 0.5) so that
 * squareCropBox(detected box, FACE_CROP_MARGIN) frames a face as FER2013 frames its 48x48 crops:
 *   npx tsx training/cli/calibrate-crop.ts --ground-truth
 * - FER+ train, 500 images (seed 1), enlarged to 192 px with a mid-gray border: faces in 499/500;
 *   margin median 0.078 (IQR 0.038..0.149, p10..p90 0.002..0.238).
 * - CK+48, all 981 images, same framing: faces in 981/981; median 0.085 (IQR 0.068..0.108).
 * - CK+48 crops located in their full CK+ frames (120 images; the detector sees the whole frame, as live):
 *   median 0.081 (IQR 0.067..0.099), which confirms the border method on the dataset where truth is known.
 * Both datasets' crops sit higher than the box: the box centre is 0.10 (FER+) to 0.15 (CK+) box sides
 * below the crop centre, which a centred crop with this margin does not reproduce.
 */
export const FACE_CROP_MARGIN = 0.08;

/**
 * The crop centre's offset from the box centre (CropSpec.shiftY, fraction of the box's larger side, negative =
 * up), from the same measurement: FER+ crops are centred 0.106 box sides above the detector's box centre
 * (CK+48: 0.151; CK+48 located in full frames: 0.156). The shipped CNN is trained on FER+, so FER+'s value.
 */
export const FACE_CROP_SHIFT_Y = -0.11;

/**
 * Whether new runs turn crops of detected faces so that the eyes are level (CropSpec.levelEyes; --cropLevelEyes
 * false to keep them upright), and the roll below which they stay upright (CropSpec.levelDeadband, degrees;
 * --cropLevelDeadband). FER2013's crops are registered faces, about level; a camera's face tilts freely.
 * Measured with the shipped stage 3 CNN of 2026-12-05 on faces framed by the detector, each face cropped every way
 * from the same detection (npm run eval:level-eyes -- --cnn RUN --deadbands 0,3,5,8; validation sets only; tilt =
 * the whole image turned; accuracy):
 *
 * | set | tilt | median roll | upright | levelled | beyond 3 deg | beyond 5 deg | beyond 8 deg |
 * | FER2013Valid (3,184 faces) | 0 | 5.4 deg | 75.3% | 76.7% | 76.5% | 76.0% | 76.1% |
 * |                            | +15 | 14.6 deg | 73.7% | 75.5% | 75.1% | 75.6% | 75.7% |
 * |                            | -15 | 16.0 deg | 73.1% | 75.1% | 74.9% | 75.2% | 75.4% |
 * | CK+ sequences' 80 first and apex frames | 0 | 1.5 deg | 80.0% | 75.0% | 80.0% | 80.0% | 80.0% |
 * |                                         | +15 | 15.1 deg | 76.3% | 81.3% | 81.3% | 77.5% | 78.8% |
 * |                                         | -15 | 16.1 deg | 76.3% | 76.3% | 77.5% | 75.0% | 75.0% |
 * | mean of the six | | | 75.8% | 76.7% | 77.6% | 76.6% | 76.8% |
 *
 * Levelling every roll costs the upright lab faces 4 of 80 frames (their eye keypoints tilt by a degree or two that
 * the face does not); a 3 degree dead band keeps them as they were and keeps most of the gain on tilted and
 * in-the-wild faces: at or above upright in every row, and the best mean. An experiment taking the crop's scale and
 * centre from the eyes too (side 2.7 inter-ocular distances, centre 0.28 of it below the eyes, fitted on FER+
 * train) gained nothing over the box's (FER2013Valid 76.1 / 75.3 / 74.7% against 76.1 / 75.1 / 75.6% levelled with
 * the box's, same tilts), so the box keeps them.
 */
export const FACE_CROP_LEVEL_EYES = true;
export const FACE_CROP_LEVEL_DEADBAND = 3;
