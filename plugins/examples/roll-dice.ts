/**
 * Example plugin: a self-contained tool. Copy this file to `plugins/roll-dice.ts` and restart (`npm start`):
 * the build registers it, the model sees `roll_dice`.
 */
import { z } from "zod";
import { defineTool, ToolError } from "../../src/tools/types.ts";

export default defineTool({
  name: "roll_dice",
  description: "Roll dice in NdM notation (e.g. 2d6) and return each die and the total.",
  parameters: z.object({
    dice: z.string().describe("NdM, e.g. 1d20 or 3d6"),
  }),
  readOnly: true,
  async execute({ dice }) {
    const match = /^(\d{1,2})d(\d{1,4})$/i.exec(dice.trim());
    if (!match) throw new ToolError(`'${dice}' is not NdM notation. Use e.g. 2d6 (up to 99 dice with up to 9999 sides).`);
    const [count, sides] = [Number(match[1]), Number(match[2])];
    if (count < 1 || sides < 2) throw new ToolError("Roll at least one die with at least two sides.");
    const rolls = Array.from(crypto.getRandomValues(new Uint32Array(count)), (n) => (n % sides) + 1);
    return `${dice}: ${rolls.join(", ")} (total ${rolls.reduce((a, b) => a + b, 0)})`;
  },
});
