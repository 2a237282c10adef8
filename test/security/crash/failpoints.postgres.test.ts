import { failpointsSuite } from "./failpointsSuite";

failpointsSuite("postgres");
