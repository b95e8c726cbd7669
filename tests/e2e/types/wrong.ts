// Must NOT type-check: the types catch a wrong context field.
import { ask } from "../../../dist/feedback.mjs";
void ask({ waitSeconds: "ten" });
