package io.crmhistory.query.projection;

import java.util.List;

/** The collections of one version of a read model, which a finished rebuild or a cancelled one drops. */
public interface ReadModelStore {

    List<String> collections();
}
