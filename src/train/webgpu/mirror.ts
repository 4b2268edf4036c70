/// <reference types="@webgpu/types" />
/**
 * Keeps the whole-step engine's flat buffers and the model's tf.Variables the same numbers.
 *
 * The engine updates one flat buffer of parameters (and one per AdamW moment); the rest of
 * Folio — predictions between steps, checkpoints, snapshots, the page's inspector — reads the
 * variables. So after each step the parameters are copied into the variables' own GPU buffers
 * (copies on the GPU, no dispatch, nothing read back), and before a step any variable whose
 * data was replaced meanwhile (a checkpoint loaded, a snapshot restored) is copied in. The
 * moments are copied out only when asked (`flush`: AdamW's state is read for a checkpoint or a
 * snapshot), since nothing else reads them.
 *
 * Writing into a variable's buffer in place is only safe while nothing else holds that data:
 * tfjs's clone (a snapshot) shares it. Such a variable first gets a buffer of its own (copy on
 * write), and a CPU copy tfjs may have cached from an earlier read is dropped.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackendInternals } from '../../kernels/webgpu/step/runner';

interface Entry {
  variable: tf.Variable;
  /** The flat buffer and where (in floats) this variable's numbers sit in it. */
  flat: GPUBuffer;
  at: number;
  /** The variable's data the flat buffer last matched. */
  seen?: object;
}

export class VariableMirror {
  private readonly entries: Entry[] = [];

  constructor(private readonly be: WebGPUBackendInternals) {}

  add(variable: tf.Variable, flat: GPUBuffer, at: number): void {
    this.entries.push({ variable, flat, at });
  }

  /** Copy into the flat buffers every variable whose data is not the one they last matched. */
  copyIn(): void {
    for (const e of this.entries) {
      const id = e.variable.dataId;
      if (e.seen === id) continue;
      this.be.uploadToGPU(id); // a variable made from CPU values has no GPU buffer yet
      const data = this.be.tensorMap.get(id);
      if (!data?.resource) throw new Error('a variable has no GPU buffer to copy');
      this.encoder().copyBufferToBuffer(data.resource, 0, e.flat, e.at * 4, e.variable.size * 4);
      e.seen = id;
    }
  }

  /** Copy the flat buffers' numbers into the variables (copy on write where their data is shared). */
  copyOut(): void {
    for (const e of this.entries) {
      let data = this.be.tensorMap.get(e.variable.dataId);
      if (!data?.resource || data.refCount > 1) {
        const info = this.be.makeTensorInfo(e.variable.shape, 'float32');
        this.be.uploadToGPU(info.dataId); // a fresh, empty GPU buffer
        const own = tf.engine().makeTensorFromTensorInfo(info);
        e.variable.assign(own);
        own.dispose();
        data = this.be.tensorMap.get(e.variable.dataId)!;
      }
      this.encoder().copyBufferToBuffer(e.flat, e.at * 4, data.resource!, 0, e.variable.size * 4);
      data.values = null; // a CPU copy from an earlier read would be stale now
      e.seen = e.variable.dataId;
    }
  }

  /** tfjs's open command encoder, outside any compute pass: the copies go in order with its work. */
  private encoder(): GPUCommandEncoder {
    this.be.ensureCommandEncoderReady();
    this.be.endComputePassEncoder();
    return this.be.commandEncoder!;
  }
}
