import { Router } from "express";
import { intentRoutes } from "../intents/routes";
import { relayHandler } from "../intents/relayHandler";
import type { GatewayModule, ModuleDeps } from "../modules";
import { ownRequirements, PeerRequirements } from "./requirements";
import { requestRoutes } from "./routes";

/** Requests and their lifecycle, the intents that carry every ledger call, and their relay. */
export function requestsModule({ ctx, directory, indexer }: ModuleDeps): GatewayModule {
  const published = ownRequirements(ctx.config.state, ctx.config.requirementsFile);
  const publicRoutes = Router();
  publicRoutes.get("/v1/requirements", (_req, res) => {
    res.json(published);
  });
  publicRoutes.get("/v1/info", (_req, res) => {
    const d = ctx.chain.deployment;
    res.json({ state: ctx.config.state, chainId: d.chainId, contracts: d.contracts, deployBlock: d.deployBlock, relayer: ctx.chain.sender.address });
  });
  const routes = Router();
  routes.use(requestRoutes(ctx, directory, new PeerRequirements(directory, ctx.config.peers, ctx.log)));
  routes.use(intentRoutes(ctx, () => indexer.checkpoint));
  return { name: "requests", routes, publicRoutes, jobs: [relayHandler(ctx, ctx.config.relayBatchSize)] };
}
