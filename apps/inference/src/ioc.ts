import type { Request } from 'express';
import type { IocContainer, IocContainerFactory } from '@tsoa/runtime';
import type { DependencyContainer } from 'tsyringe';

/**
 * tsoa's IoC hook: controllers are resolved from the tsyringe container the app was built with
 * (kept on `app.locals`), so each app instance, tests included, has its own.
 */
export const iocContainer: IocContainerFactory = (request: unknown): IocContainer => {
  const container = (request as Request).app.locals['container'] as DependencyContainer;
  return {
    get: <T>(controller: unknown): T => container.resolve<T>(controller as never),
  } as IocContainer;
};
